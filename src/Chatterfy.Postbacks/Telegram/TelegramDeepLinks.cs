using System.Diagnostics.CodeAnalysis;

namespace Chatterfy.Postbacks.Telegram;

/// <summary>
/// Telegram deep links for a click, and the <c>/start</c> message they produce, read back: the bot link
/// <c>https://t.me/&lt;bot&gt;?start=&lt;payload&gt;</c> (or <c>tg://resolve?domain=&lt;bot&gt;&amp;start=&lt;payload&gt;</c>)
/// opens the chat with the bot, and when the user presses Start the bot receives <c>/start &lt;payload&gt;</c>. The payload
/// is the click id, or the click id, <see cref="TagSeparator"/> and a short campaign tag.
/// </summary>
/// <remarks>
/// Telegram's rules (Bot API, "Deep linking", https://core.telegram.org/bots/features#deep-linking): a start parameter is
/// at most 64 characters of <c>A-Z a-z 0-9 _ -</c>. A bot username (https://core.telegram.org/method/bots.checkUsername)
/// is 5 to 32 letters, digits and underscores and ends in <c>bot</c>; as every Telegram username it starts with a letter.
/// </remarks>
public static class TelegramDeepLinks
{
    /// <summary>The longest payload, in characters (Telegram's limit of a start parameter).</summary>
    public const int MaxPayloadLength = 64;

    /// <summary>The longest campaign tag, in characters.</summary>
    public const int MaxCampaignTagLength = 16;

    /// <summary>What separates the click id from the campaign tag in a payload; a click id that contains it cannot travel in a payload.</summary>
    public const string TagSeparator = "__";

    /// <summary>The command a deep link makes the bot receive.</summary>
    public const string StartCommand = "/start";

    private const int MinBotUsernameLength = 5;
    private const int MaxBotUsernameLength = 32;

    /// <summary>Tells whether <paramref name="username"/> (without <c>@</c>) is a bot username as Telegram defines it.</summary>
    /// <param name="username">The username, e.g. <c>spring_funnel_bot</c>.</param>
    /// <returns><see langword="true"/> when it is.</returns>
    public static bool IsBotUsername([NotNullWhen(true)] string? username) =>
        username is { Length: >= MinBotUsernameLength and <= MaxBotUsernameLength }
        && char.IsAsciiLetter(username[0])
        && username.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
        && username.EndsWith("bot", StringComparison.OrdinalIgnoreCase);

    /// <summary>Tells whether <paramref name="payload"/> is a start parameter Telegram accepts: 1 to 64 characters of <c>A-Z a-z 0-9 _ -</c>.</summary>
    /// <param name="payload">The payload.</param>
    /// <returns><see langword="true"/> when it is.</returns>
    public static bool IsPayload([NotNullWhen(true)] string? payload) =>
        payload is { Length: > 0 and <= MaxPayloadLength } && payload.All(IsPayloadChar);

    /// <summary>Tells whether <paramref name="tag"/> is a campaign tag: 1 to 16 characters of <c>A-Z a-z 0-9 -</c>.</summary>
    /// <param name="tag">The tag, e.g. <c>spring</c>.</param>
    /// <returns><see langword="true"/> when it is.</returns>
    public static bool IsCampaignTag([NotNullWhen(true)] string? tag) =>
        tag is { Length: > 0 and <= MaxCampaignTagLength } && tag.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    /// <summary>Makes the start payload of a click: its id, or its id, <see cref="TagSeparator"/> and the campaign tag.</summary>
    /// <param name="clickId">The click id.</param>
    /// <param name="campaignTag">A short campaign tag (see <see cref="IsCampaignTag"/>), or <see langword="null"/>.</param>
    /// <returns>The payload, e.g. <c>67wgwWkaR0__spring</c>.</returns>
    /// <exception cref="ArgumentException">The click id or the tag breaks its rule, or the payload would be longer than 64 characters.</exception>
    public static string CreatePayload(string clickId, string? campaignTag = null)
    {
        ArgumentNullException.ThrowIfNull(clickId);
        if (clickId.Length == 0 || !clickId.All(IsPayloadChar) || clickId.Contains(TagSeparator, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"A click id travels in a Telegram start payload only when it is made of A-Z a-z 0-9 _ - without '{TagSeparator}'; '{clickId}' is not.",
                nameof(clickId));
        }

        if (campaignTag is not null && !IsCampaignTag(campaignTag))
        {
            throw new ArgumentException($"A campaign tag is 1 to {MaxCampaignTagLength} characters of A-Z a-z 0-9 -; '{campaignTag}' is not.", nameof(campaignTag));
        }

        var payload = campaignTag is null ? clickId : clickId + TagSeparator + campaignTag;
        if (payload.Length > MaxPayloadLength)
        {
            throw new ArgumentException(
                $"A Telegram start payload is at most {MaxPayloadLength} characters; the click id{(campaignTag is null ? string.Empty : " and the campaign tag")} make {payload.Length}.",
                campaignTag is null ? nameof(clickId) : nameof(campaignTag));
        }

        return payload;
    }

    /// <summary>Renders <c>https://t.me/&lt;bot&gt;?start=&lt;payload&gt;</c> for a click.</summary>
    /// <param name="botUsername">The bot's username, with or without <c>@</c>.</param>
    /// <param name="clickId">The click id.</param>
    /// <param name="campaignTag">A short campaign tag, or <see langword="null"/>.</param>
    /// <returns>The link.</returns>
    /// <exception cref="ArgumentException">The username is not a bot username, or the payload cannot be made (see <see cref="CreatePayload"/>).</exception>
    public static string HttpsLink(string botUsername, string clickId, string? campaignTag = null) =>
        $"https://t.me/{BotUsername(botUsername)}?start={CreatePayload(clickId, campaignTag)}";

    /// <summary>Renders <c>tg://resolve?domain=&lt;bot&gt;&amp;start=&lt;payload&gt;</c> for a click: the link that opens the Telegram app directly.</summary>
    /// <param name="botUsername">The bot's username, with or without <c>@</c>.</param>
    /// <param name="clickId">The click id.</param>
    /// <param name="campaignTag">A short campaign tag, or <see langword="null"/>.</param>
    /// <returns>The link.</returns>
    /// <exception cref="ArgumentException">The username is not a bot username, or the payload cannot be made (see <see cref="CreatePayload"/>).</exception>
    public static string AppLink(string botUsername, string clickId, string? campaignTag = null) =>
        $"tg://resolve?domain={BotUsername(botUsername)}&start={CreatePayload(clickId, campaignTag)}";

    /// <summary>
    /// Reads a <c>/start &lt;payload&gt;</c> message (also <c>/start@&lt;bot&gt; &lt;payload&gt;</c>, as group chats send it) back
    /// into the click id and the campaign tag.
    /// </summary>
    /// <param name="messageText">The message's text.</param>
    /// <param name="start">The payload read, or <see langword="null"/>.</param>
    /// <returns><see langword="true"/> when the message is a <c>/start</c> with a valid payload; a plain <c>/start</c> (no deep link) is <see langword="false"/>.</returns>
    public static bool TryParseStart(string? messageText, [NotNullWhen(true)] out TelegramStart? start)
    {
        start = Read(messageText, out _);
        return start is not null;
    }

    /// <summary>Reads a <c>/start &lt;payload&gt;</c> message back into the click id and the campaign tag (see <see cref="TryParseStart"/>).</summary>
    /// <param name="messageText">The message's text.</param>
    /// <returns>The payload read.</returns>
    /// <exception cref="FormatException">The message is not a <c>/start</c> command, carries no payload, or its payload breaks Telegram's or the tag's rule; the message says which.</exception>
    public static TelegramStart ParseStart(string messageText)
    {
        ArgumentNullException.ThrowIfNull(messageText);
        return Read(messageText, out var error) ?? throw new FormatException(error);
    }

    private static TelegramStart? Read(string? messageText, out string? error)
    {
        var text = messageText?.Trim() ?? string.Empty;
        var end = text.IndexOfAny([' ', '\t', '\n', '\r']);
        var command = end < 0 ? text : text[..end];
        var at = command.IndexOf('@', StringComparison.Ordinal);
        if (!string.Equals(at < 0 ? command : command[..at], StartCommand, StringComparison.Ordinal) || (at >= 0 && !IsBotUsername(command[(at + 1)..])))
        {
            error = $"The message is not a {StartCommand} command.";
            return null;
        }

        var payload = end < 0 ? string.Empty : text[end..].Trim();
        if (payload.Length == 0)
        {
            error = $"The {StartCommand} message carries no payload: the user opened the bot without a deep link.";
            return null;
        }

        if (!IsPayload(payload))
        {
            error = $"A start payload is 1 to {MaxPayloadLength} characters of A-Z a-z 0-9 _ -; the message's payload is not.";
            return null;
        }

        var separator = payload.LastIndexOf(TagSeparator, StringComparison.Ordinal);
        if (separator < 0)
        {
            error = null;
            return new TelegramStart(payload, payload, null);
        }

        var clickId = payload[..separator];
        var tag = payload[(separator + TagSeparator.Length)..];
        if (clickId.Length == 0 || !IsCampaignTag(tag))
        {
            error = $"A payload with '{TagSeparator}' is a click id, '{TagSeparator}' and a campaign tag of 1 to {MaxCampaignTagLength} characters of A-Z a-z 0-9 -; the message's payload is not.";
            return null;
        }

        error = null;
        return new TelegramStart(payload, clickId, tag);
    }

    private static string BotUsername(string botUsername)
    {
        ArgumentNullException.ThrowIfNull(botUsername);
        var username = botUsername.StartsWith('@') ? botUsername[1..] : botUsername;
        return IsBotUsername(username)
            ? username
            : throw new ArgumentException(
                $"A bot username is {MinBotUsernameLength} to {MaxBotUsernameLength} characters of A-Z a-z 0-9 _, starts with a letter and ends in 'bot'; '{botUsername}' is not.",
                nameof(botUsername));
    }

    private static bool IsPayloadChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-';
}
