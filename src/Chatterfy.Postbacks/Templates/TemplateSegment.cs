namespace Chatterfy.Postbacks.Templates;

/// <summary>
/// One macro of a compiled template, with the literal text before it: the literal runs from where the previous macro
/// ended (or the start of the text) to <paramref name="Start"/>. Both are slices of the template text, so rendering
/// copies spans instead of holding substrings.
/// </summary>
/// <param name="Start">The index of the macro's opening <c>{{</c> in the template text.</param>
/// <param name="Length">The length of the macro as written, the whole <c>{{ … }}</c>.</param>
/// <param name="MacroName">The normalized macro name.</param>
/// <param name="Source">Where a <see cref="TemplateValues"/> finds its value, classified once.</param>
/// <param name="Key">For a macro of one of <see cref="TemplateValues"/>' dictionaries, its key there.</param>
/// <param name="KeyHash">The hash of <paramref name="Key"/> that <see cref="TemplateValues"/> looks it up by.</param>
internal readonly record struct TemplateSegment(int Start, int Length, string MacroName, TemplateValues.MacroSource Source, string? Key, int KeyHash);
