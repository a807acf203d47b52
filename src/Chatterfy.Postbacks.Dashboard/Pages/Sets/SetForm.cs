using Chatterfy.Postbacks.Dashboard.Html;

namespace Chatterfy.Postbacks.Dashboard.Pages.Sets;

/// <summary>How the set's forms tie an input to its hint and its errors (ids <c>{id}-hint</c>, <c>{id}-error</c>).</summary>
internal static class SetForm
{
    /// <summary>Writes the errors of a field, next to it, as an alert; nothing when there are none.</summary>
    /// <param name="id">The input's id.</param>
    /// <param name="messages">The messages, or <see langword="null"/>.</param>
    /// <returns>The fragment.</returns>
    public static Markup FieldErrors(string id, IReadOnlyCollection<string>? messages) =>
        messages is { Count: > 0 }
            ? Markup.Of($"""<p class="error" role="alert" id="{id}-error">{string.Join(" ", messages)}</p>""")
            : Markup.Empty;

    /// <summary>Writes the input's <c>aria-describedby</c> (its hint, and its error when it has one) and <c>aria-invalid</c>.</summary>
    /// <param name="id">The input's id.</param>
    /// <param name="invalid">Whether the field has errors.</param>
    /// <param name="hint">Whether the field has a hint.</param>
    /// <returns>The attributes, with a leading space.</returns>
    public static Markup Described(string id, bool invalid, bool hint = true) => (invalid, hint) switch
    {
        (true, true) => Markup.Of($""" aria-describedby="{id}-hint {id}-error" aria-invalid="true" """),
        (true, false) => Markup.Of($""" aria-describedby="{id}-error" aria-invalid="true" """),
        (false, true) => Markup.Of($""" aria-describedby="{id}-hint" """),
        _ => Markup.Empty,
    };
}
