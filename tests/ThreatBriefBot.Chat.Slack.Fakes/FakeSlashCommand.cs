using System.Diagnostics;
using System.Text.Json;

namespace ThreatBriefBot.Chat.Slack.Fakes;

/// <summary>
/// One slash command the fake sent (Socket Mode envelope or signed HTTP POST): its acks, deliveries and what was
/// posted to its response_url.
/// </summary>
public sealed class FakeSlashCommand
{
    /// <summary>How many times a response_url may be used (platform-apis.md B6: up to 5 times within 30 minutes).</summary>
    public const int MaxResponseUrlUses = 5;

    public static readonly TimeSpan ResponseUrlLifetime = TimeSpan.FromMinutes(30);

    private readonly Lock _gate = new();
    private readonly TaskCompletionSource<RecordedAck> _ack = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<RecordedMessage> _responseUrlPosts = [];
    private readonly HashSet<int> _deliveredOn = [];
    private readonly long _createdAt = Stopwatch.GetTimestamp();
    private TaskCompletionSource _responsesChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _ackCount;
    private int _deliveries;
    private int _lastSocket;

    internal FakeSlashCommand(string envelopeId, JsonElement payload, Uri responseUrl)
    {
        EnvelopeId = envelopeId;
        Payload = payload;
        ResponseUrl = responseUrl;
    }

    public string EnvelopeId { get; }

    /// <summary>The command's payload as sent (B8 fields for Socket Mode, the same fields as a form for HTTP).</summary>
    public JsonElement Payload { get; }

    public Uri ResponseUrl { get; }

    /// <summary>The first ack for this envelope_id (for HTTP commands: the 2xx response to the POST).</summary>
    public Task<RecordedAck> Ack => _ack.Task;

    public int AckCount
    {
        get
        {
            lock (_gate)
            {
                return _ackCount;
            }
        }
    }

    /// <summary>1 + redeliveries after AckTimeout.</summary>
    public int Deliveries
    {
        get
        {
            lock (_gate)
            {
                return _deliveries;
            }
        }
    }

    public IReadOnlyList<RecordedMessage> ResponseUrlPosts
    {
        get
        {
            lock (_gate)
            {
                return [.. _responseUrlPosts];
            }
        }
    }

    internal bool IsAcked => _ack.Task.IsCompleted;

    internal int LastSocket
    {
        get
        {
            lock (_gate)
            {
                return _lastSocket;
            }
        }
    }

    internal bool ResponseUrlExpired => Stopwatch.GetElapsedTime(_createdAt) > ResponseUrlLifetime;

    public async Task WaitForResponsesAsync(int count, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_responseUrlPosts.Count >= count)
                {
                    return;
                }

                changed = _responsesChanged.Task;
            }

            await changed.WaitAsync(cancellationToken);
        }
    }

    internal void RecordDelivery(int socketNumber)
    {
        lock (_gate)
        {
            _deliveries++;
            _lastSocket = socketNumber;
            _deliveredOn.Add(socketNumber);
        }
    }

    internal bool WasDeliveredOn(int socketNumber)
    {
        lock (_gate)
        {
            return _deliveredOn.Contains(socketNumber);
        }
    }

    internal void RecordAck(JsonElement? payload, int socketNumber)
    {
        lock (_gate)
        {
            _ackCount++;
        }

        _ack.TrySetResult(new RecordedAck(payload, Stopwatch.GetElapsedTime(_createdAt), socketNumber));
    }

    /// <summary>Records a response_url post unless the URL is used up; false means it was refused.</summary>
    internal bool TryRecordResponse(RecordedMessage message)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            if (_responseUrlPosts.Count >= MaxResponseUrlUses)
            {
                return false;
            }

            _responseUrlPosts.Add(message);
            changed = _responsesChanged;
            _responsesChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.SetResult();
        return true;
    }
}
