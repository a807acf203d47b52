using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;

namespace Chatterfy.Postbacks.ReliabilityTests.Infrastructure;

/// <summary>What happened to one planned postback over all its attempts.</summary>
internal sealed class DeliveryOutcome
{
    public int Attempts { get; set; }

    public bool Acknowledged { get; set; }

    /// <summary>Every conversion id a 200 named for this postback (normally one per 200 answer).</summary>
    public List<string> ConversionIds { get; } = [];

    public string? LastFailure { get; set; }
}

/// <summary>One HTTP attempt, for scenarios that check answers by phase (the storage outage).</summary>
internal sealed record DeliveryAttempt(int Index, string PhaseAtStart, string PhaseAtEnd, int? StatusCode, string? Status, bool HasRetryAfter, string? ProblemCode, string? Failure);

/// <summary>
/// Sends a <see cref="PostbackPlan"/> the way a network does: many concurrent clients, and whatever did not get a 200
/// is sent again later. Counts answers; optionally stops the round (and runs a callback, e.g. SIGKILL) after a given
/// number of answers.
/// </summary>
internal sealed class PostbackDelivery(PostbackPlan plan, string token)
{
    private readonly DeliveryOutcome[] _outcomes = [.. plan.Items.Select(_ => new DeliveryOutcome())];
    private readonly ConcurrentQueue<DeliveryAttempt> _attempts = new();
    private long _requests;
    private long _accepted;
    private long _duplicates;
    private long _unattributed;
    private long _changed;
    private long _otherStatus;
    private long _transportFailures;
    private volatile string _phase = "start";

    public IReadOnlyList<DeliveryOutcome> Outcomes => _outcomes;

    public IEnumerable<DeliveryAttempt> Attempts => _attempts;

    public long Requests => Interlocked.Read(ref _requests);

    public long AcceptedAnswers => Interlocked.Read(ref _accepted);

    public long DuplicateAnswers => Interlocked.Read(ref _duplicates);

    public long UnattributedAnswers => Interlocked.Read(ref _unattributed);

    /// <summary>200 answers <c>changed</c>: a status postback changed a stored conversion.</summary>
    public long ChangedAnswers => Interlocked.Read(ref _changed);

    /// <summary>Answers other than 200 (e.g. 503).</summary>
    public long OtherStatusAnswers => Interlocked.Read(ref _otherStatus);

    /// <summary>Requests without an answer: connection refused or reset, timeout.</summary>
    public long TransportFailures => Interlocked.Read(ref _transportFailures);

    public int AcknowledgedCount => _outcomes.Count(o => o.Acknowledged);

    /// <summary>A label recorded with every attempt (see <see cref="DeliveryAttempt"/>).</summary>
    public string Phase
    {
        get => _phase;
        set => _phase = value;
    }

    public IReadOnlyList<int> Pending() => [.. Enumerable.Range(0, _outcomes.Length).Where(i => !_outcomes[i].Acknowledged)];

    /// <summary>
    /// Sends the given postbacks with <paramref name="concurrency"/> clients. When <paramref name="stopAfterAnswers"/> is
    /// reached, no new request starts and <paramref name="onStop"/> runs while the others are still in flight. No new
    /// request starts either once <paramref name="stopWhen"/> returns <see langword="true"/> (e.g. the host was killed).
    /// </summary>
    /// <returns>How many requests this round started.</returns>
    public async Task<int> SendRoundAsync(
        HttpClient client,
        IReadOnlyList<int> indexes,
        int concurrency,
        CancellationToken cancellationToken,
        int? stopAfterAnswers = null,
        Action? onStop = null,
        Func<bool>? stopWhen = null)
    {
        var next = -1;
        var answered = 0;
        var started = 0;
        var stop = 0;
        Task? stopping = null;

        async Task WorkerAsync()
        {
            for (var n = 0; n < indexes.Count; n++)
            {
                if (Volatile.Read(ref stop) != 0 || cancellationToken.IsCancellationRequested || stopWhen?.Invoke() == true)
                {
                    return;
                }

                var i = Interlocked.Increment(ref next);
                if (i >= indexes.Count)
                {
                    return;
                }

                Interlocked.Increment(ref started);
                await SendAsync(client, indexes[i], cancellationToken);
                if (Interlocked.Increment(ref answered) == stopAfterAnswers)
                {
                    Volatile.Write(ref stop, 1);
                    stopping = Task.Run(() => onStop?.Invoke(), CancellationToken.None);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(WorkerAsync, CancellationToken.None)));
        if (stopping is not null)
        {
            await stopping;
        }

        return started;
    }

    /// <summary>Re-sends everything not acknowledged, round after round, until all are or the rounds run out.</summary>
    /// <returns>The number of rounds used.</returns>
    public async Task<int> SendUntilAcknowledgedAsync(HttpClient client, int concurrency, int maxRounds, CancellationToken cancellationToken)
    {
        for (var round = 1; round <= maxRounds; round++)
        {
            var pending = Pending();
            if (pending.Count == 0)
            {
                return round - 1;
            }

            cancellationToken.ThrowIfCancellationRequested();
            await SendRoundAsync(client, pending, concurrency, cancellationToken);
        }

        return maxRounds;
    }

    private async Task SendAsync(HttpClient client, int index, CancellationToken cancellationToken)
    {
        var postback = plan.Items[index];
        var outcome = _outcomes[index];
        var phaseAtStart = _phase;
        outcome.Attempts++;
        Interlocked.Increment(ref _requests);
        int? statusCode = null;
        string? status = null;
        string? problemCode = null;
        var retryAfter = false;
        string? failure = null;
        try
        {
            using var request = postback.ToRequest(token);
            using var response = await client.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            statusCode = (int)response.StatusCode;
            retryAfter = response.Headers.RetryAfter is not null;
            if (response.StatusCode == HttpStatusCode.OK)
            {
                using var json = JsonDocument.Parse(body);
                status = json.RootElement.GetProperty("status").GetString();
                var conversionId = json.RootElement.GetProperty("conversionId").GetString()!;
                lock (outcome)
                {
                    outcome.Acknowledged = true;
                    outcome.ConversionIds.Add(conversionId);
                }

                switch (status)
                {
                    case "accepted":
                        Interlocked.Increment(ref _accepted);
                        break;
                    case "duplicate":
                        Interlocked.Increment(ref _duplicates);
                        break;
                    case "changed":
                        Interlocked.Increment(ref _changed);
                        break;
                    default:
                        Interlocked.Increment(ref _unattributed);
                        break;
                }
            }
            else
            {
                problemCode = ProblemCode(body);
                failure = $"{statusCode} {problemCode}";
                Interlocked.Increment(ref _otherStatus);
            }
        }
        catch (HttpRequestException ex)
        {
            failure = $"{ex.HttpRequestError}: {ex.Message}";
            Interlocked.Increment(ref _transportFailures);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            failure = "timeout";
            Interlocked.Increment(ref _transportFailures);
        }

        outcome.LastFailure = failure;
        _attempts.Enqueue(new DeliveryAttempt(index, phaseAtStart, _phase, statusCode, status, retryAfter, problemCode, failure));
    }

    private static string? ProblemCode(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("code", out var code) ? code.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
