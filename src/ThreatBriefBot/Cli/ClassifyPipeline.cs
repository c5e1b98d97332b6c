using System.Buffers;
using System.Text;
using System.Text.Json;
using ThreatBriefBot.Core.Classification;

namespace ThreatBriefBot.Cli;

/// <summary>
/// The loop of <c>classify</c>: JSON Lines in, one result per non-blank line out, in input order. Every read
/// takes what input is there (up to a large buffer); its complete lines are classified in parallel and their
/// results written in order with one write.
/// </summary>
/// <remarks>
/// A batch is whatever one read returned, so output is written whenever the input would make us wait: a
/// person typing a line gets its answer at once, while a file or a pipe arrives in large batches that keep
/// every core busy and cost one write each instead of one per line.
/// </remarks>
internal sealed class ClassifyPipeline(IItemClassifier classifier, bool json)
{
    private const int InitialBufferSize = 1 << 20;

    private static readonly byte[] NewLine = Encoding.UTF8.GetBytes(Environment.NewLine);

    private readonly ArrayBufferWriter<byte> _output = new(InitialBufferSize);
    private readonly List<ReadOnlyMemory<byte>> _lines = [];

    /// <summary>Writes one batch of UTF-8 output and makes it visible (the batch ends where the input paused).</summary>
    public delegate ValueTask Sink(ReadOnlyMemory<byte> utf8, CancellationToken cancellationToken);

    /// <summary>A sink for a byte stream such as standard output: one write per batch.</summary>
    public static Sink SinkFor(Stream output) => (utf8, ct) => output.WriteAsync(utf8, ct);

    /// <summary>A sink for any other writer (tests, an embedding host), flushed per batch so answers are not held back.</summary>
    public static Sink SinkFor(TextWriter output) => async (utf8, ct) =>
    {
        await output.WriteAsync(Encoding.UTF8.GetString(utf8.Span).AsMemory(), ct);
        await output.FlushAsync(ct);
    };

    /// <returns>Whether some line was bad, which makes the exit code 1.</returns>
    public async Task<bool> RunAsync(Stream input, Sink sink, CancellationToken cancellationToken)
    {
        var buffer = new byte[InitialBufferSize];
        var filled = 0;
        var failed = false;
        var atStart = true;
        var endOfInput = false;
        while (!endOfInput)
        {
            if (filled == buffer.Length)
            {
                // One line longer than the buffer: make room for the rest of it.
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            var read = await input.ReadAsync(buffer.AsMemory(filled), cancellationToken);
            endOfInput = read == 0;
            filled += read;
            if (atStart && (filled >= 3 || endOfInput))
            {
                // A text reader skipped a UTF-8 byte order mark; so do we.
                atStart = false;
                if (buffer.AsSpan(0, filled).StartsWith("\uFEFF"u8))
                {
                    buffer.AsSpan(3, filled - 3).CopyTo(buffer);
                    filled -= 3;
                    read = filled;
                }
            }

            // Only whole lines are classified; the last line of the input needs no line break.
            var lastBreak = endOfInput ? filled - 1 : buffer.AsSpan(filled - read, read).LastIndexOfAny((byte)'\n', (byte)'\r');
            if (lastBreak < 0)
            {
                continue;
            }

            var complete = endOfInput ? filled : filled - read + lastBreak + 1;

            failed |= await ProcessAsync(buffer.AsMemory(0, complete), sink, cancellationToken);
            buffer.AsSpan(complete, filled - complete).CopyTo(buffer);
            filled -= complete;
        }

        return failed;
    }

    private async Task<bool> ProcessAsync(ReadOnlyMemory<byte> chunk, Sink sink, CancellationToken cancellationToken)
    {
        SplitLines(chunk);
        if (_lines.Count == 0)
        {
            return false;
        }

        // Each line is classified and serialized on a worker; only the in-order copy into one output buffer is serial,
        // so a batch keeps every core busy to its end.
        var results = new byte[_lines.Count][];
        var failures = 0;
        Parallel.For(
            0,
            results.Length,
            new ParallelOptions { CancellationToken = cancellationToken },
            () => new LineWriter(),
            (i, _, writer) =>
            {
                var result = ClassifyLine.Run(classifier, _lines[i]);
                if (result.Error is not null)
                {
                    Interlocked.Increment(ref failures);
                }

                results[i] = writer.Serialize(result, json);
                return writer;
            },
            writer => writer.Dispose());

        _output.ResetWrittenCount();
        foreach (var result in results)
        {
            _output.Write(result);
            _output.Write(NewLine);
        }

        await sink(_output.WrittenMemory, cancellationToken);
        return failures > 0;
    }

    /// <summary>Splits a chunk of whole lines at CR, LF or CRLF, as a text reader does, leaving out blank lines.</summary>
    private void SplitLines(ReadOnlyMemory<byte> chunk)
    {
        _lines.Clear();
        var offset = 0;
        while (offset < chunk.Length)
        {
            var length = chunk.Span[offset..].IndexOfAny((byte)'\n', (byte)'\r');
            if (length < 0)
            {
                length = chunk.Length - offset;
            }

            // A CRLF pair leaves an empty line between CR and LF, which is blank and so left out.
            var line = chunk.Slice(offset, length);
            if (!IsBlank(line.Span))
            {
                _lines.Add(line);
            }

            offset += length + 1;
        }
    }

    private static bool IsBlank(ReadOnlySpan<byte> line)
    {
        var first = line.IndexOfAnyExcept(" \t\v\f"u8);

        // For control characters and beyond ASCII, leave it to char.IsWhiteSpace, as the text reader did.
        return first < 0 || ((line[first] < 0x20 || line[first] >= 0x80) && string.IsNullOrWhiteSpace(Encoding.UTF8.GetString(line)));
    }

    /// <summary>One worker's reusable serializer: a line's output bytes with one copy and no intermediate string.</summary>
    private sealed class LineWriter : IDisposable
    {
        private readonly ArrayBufferWriter<byte> _buffer = new(4096);
        private readonly Utf8JsonWriter _writer;

        public LineWriter() => _writer = new Utf8JsonWriter(_buffer);

        public byte[] Serialize(ClassifyLine line, bool json)
        {
            _buffer.ResetWrittenCount();
            if (json)
            {
                _writer.Reset(_buffer);
                line.WriteJson(_writer);
                _writer.Flush();
            }
            else
            {
                Encoding.UTF8.GetBytes(line.ToText(), _buffer);
            }

            return _buffer.WrittenSpan.ToArray();
        }

        public void Dispose() => _writer.Dispose();
    }
}
