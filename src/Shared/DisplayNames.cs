namespace Chatterfy.Postbacks;

/// <summary>The names marketers give postback sets, campaigns and forwarding rules: one limit for all of them.</summary>
internal static class DisplayNames
{
    /// <summary>The longest name, in characters.</summary>
    public const int MaxLength = 200;
}
