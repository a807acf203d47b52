namespace Chatterfy.Postbacks.Templates;

/// <summary>The rendered text of a link template and the macros no value source knew.</summary>
/// <param name="Value">The rendered link or text.</param>
/// <param name="UnknownMacros">The normalized names of unknown macros, in order of first appearance; empty when all were known.</param>
public sealed record LinkRenderResult(string Value, IReadOnlyList<string> UnknownMacros);
