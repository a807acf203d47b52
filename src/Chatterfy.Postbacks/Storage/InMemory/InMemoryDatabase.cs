using Chatterfy.Postbacks.Campaigns;
using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.PostbackSets;

namespace Chatterfy.Postbacks.Storage.InMemory;

/// <summary>
/// Everything the in-memory store keeps, shared by its roles under one lock: an append, a click's late credit and a stats
/// figure each see one consistent state, as a database transaction would.
/// </summary>
internal sealed class InMemoryDatabase
{
    public InMemoryDatabase()
    {
        Conversions = new ConversionTable(Pool);
        Log = new LogTable(Pool);
    }

    public Lock Lock { get; } = new();

    public StringPool Pool { get; } = new();

    /// <summary>Every set by id, deleted ones included (their ids stay used).</summary>
    public Dictionary<string, SetState> Sets { get; } = new(StringComparer.Ordinal);

    /// <summary>Every token any set ever had (current, previous, rotated away, a deleted set's): reserved for good.</summary>
    public Dictionary<string, SetState> SetsByToken { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, Click> Clicks { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets the subject bindings: (subject id, campaign id) to the bound click id and when it was bound.</summary>
    public Dictionary<(string SubjectId, string CampaignId), (string ClickId, DateTimeOffset BoundAt)> SubjectBindings { get; } = [];

    public ConversionTable Conversions { get; }

    public LogTable Log { get; }

    public Dictionary<string, Campaign> Campaigns { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, ForwardingRule> Rules { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, OutboxMessage> Outbox { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, List<OutboxAttempt>> Attempts { get; } = new(StringComparer.Ordinal);

    /// <summary>A set and its token history.</summary>
    internal sealed class SetState(PostbackSet set)
    {
        public PostbackSet Set { get; set; } = set;

        public string? PreviousToken { get; set; }

        public DateTimeOffset? PreviousTokenValidUntil { get; set; }

        public bool Deleted { get; set; }
    }
}
