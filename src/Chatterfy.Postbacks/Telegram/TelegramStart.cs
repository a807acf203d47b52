namespace Chatterfy.Postbacks.Telegram;

/// <summary>What a Telegram <c>/start</c> message carried: its payload, read back into the click id and the optional campaign tag.</summary>
/// <param name="Payload">The payload as sent, e.g. <c>67wgwWkaR0__spring</c>.</param>
/// <param name="ClickId">The click id, e.g. <c>67wgwWkaR0</c>.</param>
/// <param name="CampaignTag">The short campaign tag, e.g. <c>spring</c>, or <see langword="null"/>.</param>
public sealed record TelegramStart(string Payload, string ClickId, string? CampaignTag);
