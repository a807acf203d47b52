namespace Chatterfy.Postbacks.Templates;

/// <summary>The stable codes of <see cref="LinkCheckWarning"/>.</summary>
public static class LinkCheckCodes
{
    /// <summary>
    /// The network expects the click id in a known query parameter and that parameter does not carry
    /// <c>{{tracker.clickid}}</c>: conversions would come back without a click id.
    /// </summary>
    public const string ClickIdMacroMissing = "click_id_macro_missing";

    /// <summary>The link contains <c>&amp;amp;</c>: it was copied from HTML and its parameters would arrive misnamed.</summary>
    public const string HtmlEscaped = "html_escaped";

    /// <summary>The link contains Markdown escapes (<c>\{{</c>, <c>\}}</c> or <c>\_</c>): macros would not be replaced.</summary>
    public const string MarkdownEscaped = "markdown_escaped";

    /// <summary>The link has more than one <c>?</c> before its fragment: parameters after the second one are misread.</summary>
    public const string MultipleQuestionMarks = "multiple_question_marks";

    /// <summary>
    /// A macro of the link has no value for the click it was rendered for (<see cref="LinkRenderResult.UnknownMacros"/>):
    /// see <see cref="AffiliateLinkChecker.UnknownMacro"/>.
    /// </summary>
    public const string UnknownMacro = "unknown_macro";
}
