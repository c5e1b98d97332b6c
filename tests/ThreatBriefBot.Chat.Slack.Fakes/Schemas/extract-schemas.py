#!/usr/bin/env python3
"""Extracts what the Slack fake validates chat.postMessage traffic against from Slack's Web API OpenAPI spec.

Usage: extract-schemas.py [path/to/slack-web-openapi-v2.json]   (default /work/shared/specs/slack-web-openapi-v2.json)

Writes slack-chat-postmessage.subset.json beside this script, a JSON Schema draft-07 document (the spec is Swagger 2.0,
whose schemas are draft-04 style: tuple `items`, `definitions`), holding:
  source            where it came from (repo, path, commit, sha256, licence note)
  parameters        chat.postMessage parameters exactly as the spec lists them (name, in, type, required)
  definitions       every spec definition reachable from the responses and the request schemas below
  responses         the spec's success (200) and error (default) response schemas
  request_schemas   request-body schemas derived from `parameters`, one per body encoding:
                      json: booleans are JSON booleans, blocks/attachments real JSON arrays, no token in the body
                      form: every value is a string (blocks/attachments JSON-encoded), token may be a parameter
                    plus response_url and incoming-webhook bodies, which the spec does not describe (their parameter
                    lists come from the docs, see `source.additions`).
The tests embed the output, so they never read the spec at run time. Block Kit limits are not in the spec (its
`blocks` definition is "a very loose definition"); the fake checks those by hand.
"""
import hashlib
import json
import os
import sys

SOURCE_REPO = "slackapi/slack-api-specs"
SOURCE_PATH = "web-api/slack_web_openapi_v2.json"
SOURCE_COMMIT = "dfea73e0"
METHOD_PATH = "/chat.postMessage"
DEFINITION_PREFIX = "#/definitions/"

# The spec (2020) predates these chat.postMessage arguments; docs.slack.dev's chat.postMessage page lists them.
DOCUMENTED_ADDITIONS = [
    {"name": "metadata", "in": "formData", "type": "object", "source": "docs.slack.dev chat.postMessage"},
    {"name": "markdown_text", "in": "formData", "type": "string", "source": "docs.slack.dev chat.postMessage"},
]

# Parameters whose values the spec types as strings but which carry JSON: arrays in JSON bodies, strings in forms.
JSON_ARRAY_PARAMETERS = {"blocks": DEFINITION_PREFIX + "blocks", "attachments": None}

# Spec definitions that pin a string parameter's format.
PARAMETER_DEFINITIONS = {"channel": DEFINITION_PREFIX + "defs_channel", "thread_ts": DEFINITION_PREFIX + "defs_ts"}

FORM_BOOLEAN = {"type": "string", "enum": ["true", "false", "1", "0"]}

# Bodies the spec does not model (platform-apis.md B6 for response_url, B9 for incoming webhooks).
RESPONSE_URL_PARAMETERS = {
    "response_type": {"type": "string", "enum": ["ephemeral", "in_channel"]},
    "text": {"type": "string"},
    "blocks": {"$ref": DEFINITION_PREFIX + "blocks"},
    "attachments": {"type": "array"},
    "replace_original": {"type": "boolean"},
    "delete_original": {"type": "boolean"},
    "thread_ts": {"$ref": DEFINITION_PREFIX + "defs_ts"},
    "mrkdwn": {"type": "boolean"},
    "unfurl_links": {"type": "boolean"},
    "unfurl_media": {"type": "boolean"},
}
WEBHOOK_PARAMETERS = {
    "text": {"type": "string"},
    "blocks": {"$ref": DEFINITION_PREFIX + "blocks"},
    "attachments": {"type": "array"},
    "thread_ts": {"$ref": DEFINITION_PREFIX + "defs_ts"},
    "mrkdwn": {"type": "boolean"},
    "unfurl_links": {"type": "boolean"},
    "unfurl_media": {"type": "boolean"},
}


def collect_definitions(node, definitions, found):
    """Adds every definition `node` references, transitively, to `found`."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(DEFINITION_PREFIX):
                name = value[len(DEFINITION_PREFIX):]
                if name not in found:
                    found[name] = definitions[name]
                    collect_definitions(definitions[name], definitions, found)
            else:
                collect_definitions(value, definitions, found)
    elif isinstance(node, list):
        for item in node:
            collect_definitions(item, definitions, found)


def json_property(parameter):
    name = parameter["name"]
    if name in JSON_ARRAY_PARAMETERS:
        ref = JSON_ARRAY_PARAMETERS[name]
        return {"$ref": ref} if ref else {"type": "array"}
    if name in PARAMETER_DEFINITIONS:
        return {"$ref": PARAMETER_DEFINITIONS[name]}
    return {"type": parameter["type"]}


def form_property(parameter):
    name = parameter["name"]
    if name in PARAMETER_DEFINITIONS:
        return {"$ref": PARAMETER_DEFINITIONS[name]}
    if parameter["type"] == "boolean":
        return dict(FORM_BOOLEAN)
    return {"type": "string"}


def request_schema(title, properties, required):
    return {
        "title": title,
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def main():
    spec_path = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/specs/slack-web-openapi-v2.json"
    with open(spec_path, "rb") as f:
        raw = f.read()
    spec = json.loads(raw)
    operation = spec["paths"][METHOD_PATH]["post"]

    parameters = [
        {"name": p["name"], "in": p["in"], "type": p["type"], "required": bool(p.get("required", False))}
        for p in operation["parameters"]
    ]
    body_parameters = [p for p in parameters if p["in"] == "formData"] + [
        {"name": a["name"], "in": a["in"], "type": a["type"], "required": False} for a in DOCUMENTED_ADDITIONS
    ]
    required = sorted(p["name"] for p in body_parameters if p["required"])

    json_properties = {p["name"]: json_property(p) for p in body_parameters}
    form_properties = {p["name"]: form_property(p) for p in body_parameters}
    # Form bodies may carry the token as a parameter (JSON bodies must use the Authorization header).
    form_properties["token"] = {"type": "string"}
    request_schemas = {
        "chat_post_message_json": request_schema("chat.postMessage JSON body", json_properties, required),
        "chat_post_message_form": request_schema("chat.postMessage form body", form_properties, required),
        "response_url": request_schema("response_url JSON body", RESPONSE_URL_PARAMETERS, []),
        "incoming_webhook": request_schema("incoming webhook JSON body", WEBHOOK_PARAMETERS, []),
    }
    responses = {
        "success": operation["responses"]["200"]["schema"],
        "error": operation["responses"]["default"]["schema"],
    }

    definitions = {}
    collect_definitions(responses, spec["definitions"], definitions)
    collect_definitions(request_schemas, spec["definitions"], definitions)

    subset = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$comment": "Generated by extract-schemas.py; do not edit by hand.",
        "source": {
            "repository": SOURCE_REPO,
            "path": SOURCE_PATH,
            "commit": SOURCE_COMMIT,
            "sha256": hashlib.sha256(raw).hexdigest(),
            "spec_version": spec["info"]["version"],
            "licence": "slackapi/slack-api-specs publishes this as an open specification (README: 'open specification "
                       "strategy'); the stored copy carries no LICENSE file. Only the parameter list and schemas needed "
                       "to test interoperability are copied here.",
            "pointers": {
                "parameters": "#/paths/~1chat.postMessage/post/parameters",
                "success": "#/paths/~1chat.postMessage/post/responses/200/schema",
                "error": "#/paths/~1chat.postMessage/post/responses/default/schema",
            },
            "additions": "metadata and markdown_text from docs.slack.dev chat.postMessage (not in the 2020 spec); "
                         "response_url and incoming-webhook parameters from platform-apis.md B6 and B9.",
            "caveats": "The error schema's enum is stale (2020): it lacks ratelimited, invalid_blocks, "
                       "not_allowed_token_type among others; check error responses for shape, not against the enum.",
        },
        "parameters": parameters,
        "documented_additions": DOCUMENTED_ADDITIONS,
        "responses": responses,
        "request_schemas": request_schemas,
        "definitions": dict(sorted(definitions.items())),
    }

    out_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "slack-chat-postmessage.subset.json")
    with open(out_path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(subset, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {out_path}: {len(parameters)} parameters, {len(definitions)} definitions")


if __name__ == "__main__":
    main()
