namespace Chatterfy.Postbacks.Ingestion;

/// <summary>Something odd about a postback that did not stop it: a stable code from <see cref="PostbackWarningCodes"/> and a message.</summary>
/// <param name="Code">The stable, machine-readable code, e.g. <c>macro_ignored</c>.</param>
/// <param name="Message">A sentence that says what was done about it.</param>
/// <param name="Field">The canonical field concerned, or <see langword="null"/>.</param>
public sealed record PostbackWarning(string Code, string Message, string? Field = null);
