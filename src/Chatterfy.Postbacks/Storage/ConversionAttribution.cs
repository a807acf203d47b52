namespace Chatterfy.Postbacks.Storage;

/// <summary>Whether a stored conversion is credited to its click.</summary>
public enum ConversionAttribution
{
    /// <summary>The click is known and, on a campaign-scoped set, belongs to the set's campaign.</summary>
    Credited,

    /// <summary>The click id is unknown, or the click belongs to another campaign; stored and counted separately.</summary>
    Unattributed,
}
