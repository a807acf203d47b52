using System.Diagnostics.CodeAnalysis;

namespace Chatterfy.Postbacks.Templates;

/// <summary>
/// Supplies macro values when a link template is rendered; the host plugs in chat and field values this way.
/// </summary>
public interface IMacroValueSource
{
    /// <summary>Looks up a macro's value.</summary>
    /// <param name="name">
    /// The macro's normalized name: lower-case, whitespace removed, <c>chat.tracker.clickid</c> folded into
    /// <c>tracker.clickid</c>; e.g. <c>tracker.clickid</c>, <c>tracker.ad_name</c>, <c>fields.country</c>, <c>chatid</c>, <c>username</c>.
    /// </param>
    /// <param name="value">The raw (unencoded) value.</param>
    /// <returns><see langword="true"/> when the source knows the macro.</returns>
    bool TryGetValue(string name, [NotNullWhen(true)] out string? value);
}
