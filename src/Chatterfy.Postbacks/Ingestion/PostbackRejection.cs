namespace Chatterfy.Postbacks.Ingestion;

/// <summary>Why a postback was refused: a stable code from <see cref="PostbackRejectionCodes"/> and a human message.</summary>
/// <param name="Code">The stable, machine-readable code, e.g. <c>amount_invalid</c>.</param>
/// <param name="Message">A sentence that tells the marketer what to fix.</param>
/// <param name="Field">The canonical field at fault (e.g. <c>amount</c>), or <see langword="null"/>.</param>
public sealed record PostbackRejection(string Code, string Message, string? Field = null);
