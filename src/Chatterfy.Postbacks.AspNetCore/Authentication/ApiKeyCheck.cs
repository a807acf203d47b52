namespace Chatterfy.Postbacks.AspNetCore.Authentication;

/// <summary>What <see cref="ApiKeyRing.Check"/> found in a presented key.</summary>
internal enum ApiKeyCheck
{
    /// <summary>No key was presented (no header, or an empty one).</summary>
    Missing,

    /// <summary>A key was presented and it is none of the accepted keys (or several were presented).</summary>
    Wrong,

    /// <summary>The key is one of the accepted keys.</summary>
    Accepted,
}
