namespace Chatterfy.Postbacks.Templates;

/// <summary>A likely mistake in an affiliate link template, found by <see cref="AffiliateLinkChecker"/>.</summary>
/// <param name="Code">The stable, machine-readable code from <see cref="LinkCheckCodes"/>.</param>
/// <param name="Message">A sentence for the marketer that says what is wrong and how to fix it.</param>
public sealed record LinkCheckWarning(string Code, string Message);
