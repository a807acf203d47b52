using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Telegram;

namespace Chatterfy.Postbacks.Tests.Telegram;

// A bot's handler of a chat's messages (any bot library hands it the chat id and the text): "/start <payload>" binds the
// chat user to the click the deep link carried; the answer is the affiliate link with the chat user's click id.
internal sealed class StartHandlerExample(ClickService clicks)
{
    private const string Campaign = "spring";

    public async Task<string> OnMessageAsync(long chatId, string text, CancellationToken cancellationToken = default)
    {
        var subjectId = $"tg:{chatId}";
        SubjectBinding? binding = null;
        if (TelegramDeepLinks.TryParseStart(text, out var start))
        {
            // The click the redirect made (fbclid, _fbc, _fbp, IP, user agent) is bound, unless the chat user has one
            // already: the first binding wins. Null when no click has that id.
            binding = await clicks.BindClickAsync(subjectId, start.ClickId, cancellationToken);
        }

        // No deep link, or an unknown click: the chat user's own click in the campaign, created the first time.
        binding ??= await clicks.GetOrCreateForSubjectAsync(subjectId, Campaign, cancellationToken: cancellationToken);
        return $"https://binomo.com/en/promo/a21?open=register&click_id={binding.Click.Id}";
    }
}
