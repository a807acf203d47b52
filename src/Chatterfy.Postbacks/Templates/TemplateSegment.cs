namespace Chatterfy.Postbacks.Templates;

/// <summary>
/// One compiled piece of a template: a literal run or a macro, both as a slice of the template text so that
/// rendering copies spans instead of holding substrings.
/// </summary>
/// <param name="Start">The index of the slice in the template text.</param>
/// <param name="Length">The length of the slice; for a macro, the whole <c>{{ … }}</c> as written.</param>
/// <param name="MacroName">The normalized macro name, or <see langword="null"/> for a literal.</param>
/// <param name="Source">For a macro, where a <see cref="TemplateValues"/> finds its value, classified once.</param>
/// <param name="Key">For a tracker field or field macro, its dictionary key in <see cref="TemplateValues"/>.</param>
internal readonly record struct TemplateSegment(int Start, int Length, string? MacroName, TemplateValues.MacroSource Source = default, string? Key = null);
