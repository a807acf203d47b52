namespace Chatterfy.Postbacks.Templates;

/// <summary>
/// A compiled link template with <c>{{macro}}</c> placeholders: parse once, render many times.
/// </summary>
public sealed class LinkTemplate
{
    private LinkTemplate(string text, UnknownMacroBehavior unknownMacros)
    {
        Text = text;
        UnknownMacros = unknownMacros;
    }

    /// <summary>Gets the template text as given.</summary>
    public string Text { get; }

    /// <summary>Gets what rendering does with unknown macros.</summary>
    public UnknownMacroBehavior UnknownMacros { get; }

    /// <summary>Gets a value indicating whether the template is a URL (values are percent-encoded for their position).</summary>
    public bool IsUrl { get; }

    /// <summary>Gets the normalized names of the template's macros, distinct, in order of first appearance.</summary>
    public IReadOnlyList<string> Macros { get; } = [];

    /// <summary>Parses a template.</summary>
    /// <param name="template">The template text.</param>
    /// <param name="unknownMacros">What rendering does with unknown macros.</param>
    /// <returns>The compiled template.</returns>
    public static LinkTemplate Parse(string template, UnknownMacroBehavior unknownMacros = UnknownMacroBehavior.LeaveAsIs)
    {
        ArgumentNullException.ThrowIfNull(template);
        return new LinkTemplate(template, unknownMacros);
    }

    /// <summary>Renders the template.</summary>
    /// <param name="values">The macro values.</param>
    /// <returns>The rendered text and the unknown macros.</returns>
    public LinkRenderResult Render(IMacroValueSource values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new LinkRenderResult(Text, []);
    }
}
