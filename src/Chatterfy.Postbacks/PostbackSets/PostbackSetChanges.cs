using System.Text.Json;

namespace Chatterfy.Postbacks.PostbackSets;

/// <summary>Changes to a postback set; each <see langword="null"/> member is left as it is.</summary>
public sealed record PostbackSetChanges
{
    /// <summary>Gets the new display name.</summary>
    public string? Name { get; init; }

    /// <summary>Gets the new network settings (replacing the old ones entirely).</summary>
    public JsonElement? Settings { get; init; }

    /// <summary>Gets whether the set accepts postbacks.</summary>
    public bool? Enabled { get; init; }
}
