using System.Text;
using System.Text.RegularExpressions;

namespace ThreatBriefBot.Feeds;

/// <summary>
/// Turns feed bytes into text: BOM first, then the HTTP charset, then the XML declaration, then UTF-8, falling back
/// to windows-1252 (which decodes any byte) when the declared encoding does not fit the bytes.
/// </summary>
internal static partial class FeedDecoder
{
    static FeedDecoder() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public sealed record Decoded(string Text, string Encoding, bool Bozo, string? BozoReason);

    public static Decoded Decode(ReadOnlySpan<byte> bytes, string? contentType)
    {
        var (bomEncoding, bomLength) = DetectBom(bytes);
        var body = bytes[bomLength..];
        var (mediaType, httpCharset) = ParseContentType(contentType);
        var declared = DeclaredEncoding(body, bomEncoding);

        string? bozoReason = null;
        Encoding? chosen = bomEncoding;
        if (chosen is null && httpCharset is not null)
        {
            chosen = Lookup(httpCharset);
            bozoReason = chosen is null ? $"unknown charset '{httpCharset}' in Content-Type" : null;
        }

        if (chosen is null && bozoReason is null && httpCharset is null && mediaType is not null
            && mediaType.StartsWith("text/", StringComparison.Ordinal)
            && (mediaType.EndsWith("/xml", StringComparison.Ordinal) || mediaType.EndsWith("+xml", StringComparison.Ordinal)))
        {
            // RFC 3023: text/xml without a charset is us-ascii, whatever the document declares.
            chosen = Encoding.ASCII;
        }

        chosen ??= SniffUnicode(body);
        if (chosen is null && declared is not null)
        {
            chosen = Lookup(declared);
            bozoReason ??= chosen is null ? $"unknown encoding '{declared}' declared" : null;
        }

        if (mediaType is "text/plain" or "text/html")
        {
            bozoReason ??= $"served as {mediaType}, not as XML";
        }

        chosen ??= new UTF8Encoding(false);
        if (TryDecode(body, chosen, out var text))
        {
            return new Decoded(Demoronize(text), Name(chosen), bozoReason is not null, bozoReason);
        }

        // The bytes do not fit the chosen encoding: try what the document itself declares, then UTF-8.
        var reason = $"document is not valid {Name(chosen)}";
        Encoding?[] fallbacks = [declared is null ? null : Lookup(declared), new UTF8Encoding(false)];
        foreach (var fallback in fallbacks)
        {
            if (fallback is not null && fallback.CodePage != chosen.CodePage && TryDecode(body, fallback, out text))
            {
                return new Decoded(Demoronize(text), Name(fallback), true, reason);
            }
        }

        if (declared is null && httpCharset is null && Detect(body) is { } detected && TryDecode(body, detected, out text))
        {
            return new Decoded(text, Name(detected), true, "no encoding declared; detected " + Name(detected));
        }

        // windows-1252 decodes every byte, so something readable always comes out.
        var lastResort = System.Text.Encoding.GetEncoding(1252);
        return new Decoded(Demoronize(lastResort.GetString(body)), Name(lastResort), true, reason);
    }

    /// <summary>Statistical detection for documents that declare nothing and are not UTF-8.</summary>
    private static Encoding? Detect(ReadOnlySpan<byte> body)
    {
        var detected = UtfUnknown.CharsetDetector.DetectFromBytes(body.ToArray()).Detected;
        return detected is { Confidence: > 0.3f, Encoding: { } encoding } ? encoding : null;
    }

    /// <summary>
    /// C1 control characters in decoded text are almost always windows-1252 punctuation (smart quotes, dashes)
    /// that went through a latin-1 or UTF-8 encoder; they are mapped back to what the author typed.
    /// </summary>
    public static string Demoronize(string text)
    {
        if (!text.AsSpan().ContainsAnyInRange('\u0080', '\u009F'))
        {
            return text;
        }

        var windows1252 = System.Text.Encoding.GetEncoding(1252);
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (chars[i] is >= '\u0080' and <= '\u009F')
            {
                // The five bytes windows-1252 leaves undefined decode to themselves, so they stay as they are.
                chars[i] = windows1252.GetString([(byte)chars[i]])[0];
            }
        }

        return new string(chars);
    }

    /// <summary>
    /// UTF-8 that was decoded as windows-1252 and encoded again ("â€¦" for "…") is turned back into what was meant.
    /// Genuine windows-1252 text almost never re-encodes to valid multi-byte UTF-8, so this rarely misfires.
    /// </summary>
    public static string RepairDoubleEncoding(string text)
    {
        // The five code points windows-1252 leaves undefined mean the text did not come through windows-1252.
        if (!text.AsSpan().ContainsAnyInRange('\u00C2', '\u00F4') || text.AsSpan().ContainsAny("\u0081\u008D\u008F\u0090\u009D"))
        {
            return text;
        }

        try
        {
            var bytes = System.Text.Encoding.GetEncoding(1252, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback).GetBytes(text);
            return new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (Exception ex) when (ex is EncoderFallbackException or DecoderFallbackException)
        {
            return text;
        }
    }

    private static string Name(Encoding encoding) => encoding.WebName.ToLowerInvariant();

    private static bool TryDecode(ReadOnlySpan<byte> bytes, Encoding encoding, out string text)
    {
        var strict = (Encoding)encoding.Clone();
        strict.DecoderFallback = DecoderFallback.ExceptionFallback;
        try
        {
            text = strict.GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = "";
            return false;
        }
    }

    private static Encoding? Lookup(string name)
    {
        var n = name.Trim().Trim('"', '\'').ToLowerInvariant();
        // Decode with the superset the label is used for in practice.
        n = n switch
        {
            "gb2312" or "gbk" or "x-gbk" => "gb18030",
            "iso-8859-1" or "latin1" or "latin-1" or "l1" or "iso8859-1" or "iso_8859-1" => "windows-1252",
            "x-sjis" or "shift-jis" or "sjis" => "shift_jis",
            "utf8" => "utf-8",
            _ => n,
        };
        try
        {
            return System.Text.Encoding.GetEncoding(n);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static (Encoding? Encoding, int Length) DetectBom(ReadOnlySpan<byte> b)
    {
        if (b.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return (new UTF8Encoding(false), 3);
        }

        if (b.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0x00, 0x00]))
        {
            return (new UTF32Encoding(false, false), 4);
        }

        if (b.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0xFE, 0xFF]))
        {
            return (new UTF32Encoding(true, false), 4);
        }

        if (b.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return (new UnicodeEncoding(true, false), 2);
        }

        return b.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) ? (new UnicodeEncoding(false, false), 2) : (null, 0);
    }

    private static Encoding? SniffUnicode(ReadOnlySpan<byte> b)
    {
        if (b.Length < 4)
        {
            return null;
        }

        return (b[0], b[1], b[2], b[3]) switch
        {
            (0, 0, 0, _) => new UTF32Encoding(true, false),
            (_, 0, 0, 0) => new UTF32Encoding(false, false),
            (0, _, 0, _) => new UnicodeEncoding(true, false),
            (_, 0, _, 0) => new UnicodeEncoding(false, false),
            _ => null,
        };
    }

    /// <summary>The encoding named in the XML declaration, read in the byte layout the document starts with.</summary>
    private static string? DeclaredEncoding(ReadOnlySpan<byte> body, Encoding? bom)
    {
        var layout = bom ?? SniffUnicode(body) ?? System.Text.Encoding.Latin1;
        var head = layout.GetString(body[..Math.Min(body.Length, 2048)]);
        var m = DeclarationRegex().Match(head);
        if (!m.Success)
        {
            return null;
        }

        var declared = m.Groups[1].Value;
        // A document that is really UTF-16/32 says so by its layout; an 8-bit document claiming utf-16 is lying.
        if (declared.StartsWith("utf-16", StringComparison.OrdinalIgnoreCase) || declared.StartsWith("utf-32", StringComparison.OrdinalIgnoreCase)
            || declared.Equals("unicode", StringComparison.OrdinalIgnoreCase))
        {
            return layout is UnicodeEncoding or UTF32Encoding ? null : "utf-8";
        }

        return declared;
    }

    private static (string? MediaType, string? Charset) ParseContentType(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return (null, null);
        }

        var parts = contentType.Split(';');
        string? charset = null;
        foreach (var part in parts.Skip(1))
        {
            var kv = part.Split('=', 2);
            if (kv.Length == 2 && kv[0].Trim().Equals("charset", StringComparison.OrdinalIgnoreCase))
            {
                charset = kv[1].Trim().Trim('"', '\'');
            }
        }

        return (parts[0].Trim().ToLowerInvariant(), string.IsNullOrEmpty(charset) ? null : charset);
    }

    [GeneratedRegex(@"^\s*<\?xml[^>]*?encoding\s*=\s*[""']([A-Za-z0-9._:\-]+)[""']", RegexOptions.CultureInvariant)]
    private static partial Regex DeclarationRegex();
}
