using System.Globalization;
using System.Text;

namespace Chatterfy.Postbacks.ReliabilityTests.Infrastructure;

internal enum PostbackKind
{
    Registration,
    FirstDeposit,
    Deposit,
}

/// <summary>How a network delivers one postback to a Binomo set.</summary>
internal enum Transport
{
    /// <summary><c>GET {base}/{event}?click_id=…</c>.</summary>
    EventPath,

    /// <summary><c>GET {base}?click_id=…&amp;ftd=true…</c>: Binomo's bare URL with its event flag.</summary>
    BareUrlFlag,

    /// <summary><c>POST {base}/{event}</c> with a form body.</summary>
    FormPost,
}

/// <summary>
/// One postback a network sends. <see cref="Key"/> is its idempotency key as the design defines it: registration and
/// first deposit once per click (whatever the transaction id), deposits once per click and transaction id. Deliberate
/// duplicates share the key (and the amount) but may come another way (other transport, other transaction id for a
/// first deposit, comma decimal).
/// </summary>
internal sealed record PlannedPostback(
    int Index,
    string Key,
    PostbackKind Kind,
    string ClickId,
    string? TransactionId,
    decimal? Amount,
    Transport Transport,
    bool CommaDecimal,
    bool IsDeliberateDuplicate)
{
    public string EventName => Kind switch
    {
        PostbackKind.Registration => "registration",
        PostbackKind.FirstDeposit => "first-deposit",
        _ => "deposit",
    };

    /// <summary>The network's status word sent as <c>status=…</c>, or <see langword="null"/> for none.</summary>
    public string? Status { get; init; }

    public HttpRequestMessage ToRequest(string token)
    {
        var parameters = new StringBuilder();
        parameters.Append("click_id=").Append(Uri.EscapeDataString(ClickId));
        if (Transport == Transport.BareUrlFlag)
        {
            parameters.Append(Kind switch
            {
                PostbackKind.Registration => "&reg=true",
                PostbackKind.FirstDeposit => "&ftd=true",
                _ => "&dep=true",
            });
        }

        if (Amount is { } amount)
        {
            var text = amount.ToString("0.00", CultureInfo.InvariantCulture);
            parameters.Append("&amount=").Append(CommaDecimal ? text.Replace('.', ',') : text);
        }

        if (TransactionId is not null)
        {
            parameters.Append("&transaction_id=").Append(Uri.EscapeDataString(TransactionId));
        }

        if (Status is not null)
        {
            parameters.Append("&status=").Append(Uri.EscapeDataString(Status));
        }

        parameters.Append("&user_id=u").Append(Index.ToString(CultureInfo.InvariantCulture));
        var path = $"api/postbacks/{token}";
        return Transport switch
        {
            Transport.BareUrlFlag => new HttpRequestMessage(HttpMethod.Get, $"{path}?{parameters}"),
            Transport.FormPost => new HttpRequestMessage(HttpMethod.Post, $"{path}/{EventName}")
            {
                Content = new StringContent(parameters.ToString(), Encoding.UTF8, "application/x-www-form-urlencoded"),
            },
            _ => new HttpRequestMessage(HttpMethod.Get, $"{path}/{EventName}?{parameters}"),
        };
    }

    public static string KeyOf(PostbackKind kind, string clickId, string? transactionId) => kind switch
    {
        PostbackKind.Registration => $"registration|{clickId}",
        PostbackKind.FirstDeposit => $"first-deposit|{clickId}",
        _ => $"deposit|{clickId}|{transactionId}",
    };

    public override string ToString() =>
        $"#{Index} {Key} amount={Amount?.ToString(CultureInfo.InvariantCulture) ?? "-"} tid={TransactionId ?? "-"}{(Status is null ? "" : $" status={Status}")} via {Transport}{(IsDeliberateDuplicate ? " (deliberate duplicate)" : "")}";
}

/// <summary>
/// A seeded workload for a set of clicks: per click a registration, a first deposit and a few repeat deposits with
/// unique transaction ids, plus deliberate duplicates of some of them, shuffled. Amounts carry cents so sums are exact
/// only if nothing is lost or doubled.
/// </summary>
internal sealed class PostbackPlan
{
    private PostbackPlan(IReadOnlyList<PlannedPostback> items, IReadOnlyList<string> clickIds, IReadOnlyDictionary<string, PlannedPostback> originals)
    {
        Items = items;
        ClickIds = clickIds;
        Originals = originals;
    }

    /// <summary>Everything to send, in sending order.</summary>
    public IReadOnlyList<PlannedPostback> Items { get; }

    public IReadOnlyList<string> ClickIds { get; }

    /// <summary>The first postback of each idempotency key: what must be stored, exactly once.</summary>
    public IReadOnlyDictionary<string, PlannedPostback> Originals { get; }

    public int UniqueKeys => Originals.Count;

    public int DeliberateDuplicates => Items.Count - Originals.Count;

    public static PostbackPlan Create(Random random, IReadOnlyList<string> clickIds, int minDeposits, int maxDeposits, double duplicateShare)
    {
        var originals = new List<PlannedPostback>();
        var index = 0;
        for (var c = 0; c < clickIds.Count; c++)
        {
            var click = clickIds[c];
            originals.Add(New(PostbackKind.Registration, click, null, null));
            originals.Add(New(PostbackKind.FirstDeposit, click, $"F{c}", Cents(random)));
            var deposits = random.Next(minDeposits, maxDeposits + 1);
            for (var d = 0; d < deposits; d++)
            {
                originals.Add(New(PostbackKind.Deposit, click, $"D{c}-{d}", Cents(random)));
            }
        }

        var items = new List<PlannedPostback>(originals);
        var duplicates = (int)(originals.Count * duplicateShare);
        for (var i = 0; i < duplicates; i++)
        {
            var original = originals[random.Next(originals.Count)];

            // Registration and first deposit are once per click whatever the transaction id: some retries carry a new one.
            var transactionId = original.Kind == PostbackKind.FirstDeposit && random.Next(3) == 0
                ? $"{original.TransactionId}-retry{i}"
                : original.TransactionId;
            items.Add(original with
            {
                Index = index++,
                TransactionId = transactionId,
                Transport = RandomTransport(random),
                CommaDecimal = random.Next(4) == 0,
                IsDeliberateDuplicate = true,
            });
        }

        // Fisher-Yates with the seeded generator, then number the items in sending order.
        var shuffled = items.ToArray();
        random.Shuffle(shuffled);
        var ordered = shuffled.Select((p, i) => p with { Index = i }).ToArray();
        var firsts = new Dictionary<string, PlannedPostback>(StringComparer.Ordinal);
        foreach (var original in originals)
        {
            firsts[original.Key] = original;
        }

        return new PostbackPlan(ordered, clickIds, firsts);

        PlannedPostback New(PostbackKind kind, string click, string? transactionId, decimal? amount) =>
            new(index++, PlannedPostback.KeyOf(kind, click, transactionId), kind, click, transactionId, amount, RandomTransport(random), random.Next(8) == 0, false);
    }

    /// <summary>
    /// A plan of the given items in sending order; the first item of each key that is not a deliberate duplicate is its
    /// original.
    /// </summary>
    public static PostbackPlan Of(IReadOnlyList<PlannedPostback> items, IReadOnlyList<string> clickIds)
    {
        var ordered = items.Select((p, i) => p with { Index = i }).ToArray();
        var originals = new Dictionary<string, PlannedPostback>(StringComparer.Ordinal);
        foreach (var item in ordered.Where(p => !p.IsDeliberateDuplicate))
        {
            originals.TryAdd(item.Key, item);
        }

        return new PostbackPlan(ordered, clickIds, originals);
    }

    /// <summary>The stats the receiver must report once every postback was acknowledged.</summary>
    public TrackerStats ExpectedStats(long rejected = 0)
    {
        var ftd = Originals.Values.Where(p => p.Kind == PostbackKind.FirstDeposit).ToList();
        var deposits = Originals.Values.Where(p => p.Kind == PostbackKind.Deposit).ToList();
        return new TrackerStats(
            ClickIds.Count,
            Originals.Values.Count(p => p.Kind == PostbackKind.Registration),
            ftd.Count,
            deposits.Count,
            Unattributed: 0,
            rejected,
            new Dictionary<string, (decimal, decimal)>(StringComparer.Ordinal)
            {
                ["USD"] = (ftd.Sum(p => p.Amount!.Value), deposits.Sum(p => p.Amount!.Value)),
            });
    }

    private static Transport RandomTransport(Random random) => random.Next(10) switch
    {
        < 6 => Transport.EventPath,
        < 8 => Transport.BareUrlFlag,
        _ => Transport.FormPost,
    };

    // 1.00 to 999.99, always with cents.
    private static decimal Cents(Random random) => random.Next(100, 100_000) / 100m;
}
