namespace Chatterfy.Postbacks.Clicks;

/// <summary>Mints click ids. Implementations must return URL-safe ids of at most <see cref="Click.MaxIdLength"/> (64) characters of <c>[A-Za-z0-9_-]</c>.</summary>
public interface IClickIdGenerator
{
    /// <summary>Returns a new, unpredictable click id.</summary>
    /// <returns>The click id.</returns>
    string NewClickId();
}
