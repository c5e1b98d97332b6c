using System.Text.Json;

namespace ThreatBriefBot.Chat.Discord.Fakes;

/// <summary>An interaction the fake sent, with what the adapter answered.</summary>
public sealed class FakeInteraction
{
    private readonly TaskCompletionSource<RecordedCallback> _callback = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<RecordedCallback> _attempts = [];
    private readonly List<RecordedMessage> _followUps = [];
    private readonly List<(int Count, TaskCompletionSource Done)> _waiters = [];
    private readonly Lock _sync = new();

    internal FakeInteraction(string id, string token, int type, DateTimeOffset sentAt, JsonElement payload)
    {
        Id = id;
        Token = token;
        Type = type;
        SentAt = sentAt;
        Payload = payload;
    }

    public string Id { get; }

    public string Token { get; }

    /// <summary>The interaction type: 1 PING, 2 APPLICATION_COMMAND, 4 APPLICATION_COMMAND_AUTOCOMPLETE.</summary>
    public int Type { get; }

    /// <summary>The interaction object as sent (the d of INTERACTION_CREATE, or the HTTP body).</summary>
    public JsonElement Payload { get; }

    /// <summary>Completes with the first callback attempt, whatever the fake answered to it.</summary>
    public Task<RecordedCallback> Callback => _callback.Task;

    /// <summary>Every callback attempt in order, including refused ones (late, duplicate, invalid).</summary>
    public IReadOnlyList<RecordedCallback> CallbackAttempts
    {
        get
        {
            lock (_sync)
            {
                return [.. _attempts];
            }
        }
    }

    /// <summary>Accepted PATCH @original and POST webhooks/{app}/{token} bodies, in order.</summary>
    public IReadOnlyList<RecordedMessage> FollowUps
    {
        get
        {
            lock (_sync)
            {
                return [.. _followUps];
            }
        }
    }

    internal DateTimeOffset SentAt { get; }

    /// <summary>The callback type that acknowledged the interaction, or null while unacknowledged.</summary>
    internal int? AcknowledgedType { get; set; }

    internal string? OriginalMessageId { get; set; }

    /// <summary>After a type 5 defer, the first POST follow-up edits the loading message instead (deprecated behaviour).</summary>
    internal bool DeferredOriginalPending { get; set; }

    public Task WaitForFollowUpsAsync(int count, CancellationToken cancellationToken = default)
    {
        lock (_sync)
        {
            if (_followUps.Count >= count)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, done));
            return done.Task.WaitAsync(cancellationToken);
        }
    }

    internal void RecordCallbackAttempt(RecordedCallback callback)
    {
        lock (_sync)
        {
            _attempts.Add(callback);
        }

        _callback.TrySetResult(callback);
    }

    internal void RecordFollowUp(RecordedMessage message)
    {
        List<TaskCompletionSource> ready;
        lock (_sync)
        {
            _followUps.Add(message);
            ready = [.. _waiters.Where(w => _followUps.Count >= w.Count).Select(w => w.Done)];
            _waiters.RemoveAll(w => _followUps.Count >= w.Count);
        }

        foreach (var done in ready)
        {
            done.TrySetResult();
        }
    }
}
