using Chatterfy.Postbacks.Telegram;

namespace Chatterfy.Postbacks.Tests.Telegram;

public sealed class TelegramDeepLinksTests
{
    [Fact]
    public void HttpsLink_ClickId_RendersTheTmeLinkWithTheClickIdAsPayload() =>
        TelegramDeepLinks.HttpsLink("spring_funnel_bot", "67wgwWkaR0").Should().Be("https://t.me/spring_funnel_bot?start=67wgwWkaR0");

    [Fact]
    public void AppLink_ClickIdAndTag_RendersTheTgResolveLink() =>
        TelegramDeepLinks.AppLink("@SpringBot", "67wgwWkaR0", "spring").Should().Be("tg://resolve?domain=SpringBot&start=67wgwWkaR0__spring");

    [Fact]
    public void CreatePayload_SixtyFourCharacters_IsAccepted() =>
        TelegramDeepLinks.CreatePayload(new string('a', 56), "spring").Should().HaveLength(64);

    [Fact]
    public void CreatePayload_SixtyFiveCharacters_ThrowsNamingTheLimit()
    {
        var create = () => TelegramDeepLinks.CreatePayload(new string('a', 57), "spring");

        create.Should().Throw<ArgumentException>().WithMessage("A Telegram start payload is at most 64 characters; the click id and the campaign tag make 65.*");
    }

    [Theory]
    [InlineData("abc.def")]
    [InlineData("abc__def")]
    [InlineData("")]
    [InlineData("ab cd")]
    public void CreatePayload_ClickIdThatCannotTravel_Throws(string clickId) =>
        FluentActions.Invoking(() => TelegramDeepLinks.CreatePayload(clickId)).Should().Throw<ArgumentException>().Where(e => e.ParamName == "clickId");

    [Theory]
    [InlineData("spring_1")]
    [InlineData("a-very-long-tag-17")]
    [InlineData("")]
    public void CreatePayload_BadTag_Throws(string tag) =>
        FluentActions.Invoking(() => TelegramDeepLinks.CreatePayload("67wgwWkaR0", tag)).Should().Throw<ArgumentException>().Where(e => e.ParamName == "campaignTag");

    [Theory]
    [InlineData("spring_funnel_bot", true)]
    [InlineData("SpringBOT", true)]
    [InlineData("xybot", true)]
    [InlineData("ybot", false)]
    [InlineData("spring_funnel", false)]
    [InlineData("1springbot", false)]
    [InlineData("_springbot", false)]
    [InlineData("spring-bot", false)]
    [InlineData("a_very_long_bot_username_over_bot", false)]
    [InlineData(null, false)]
    public void IsBotUsername_FollowsTelegramsRule(string? username, bool expected) =>
        TelegramDeepLinks.IsBotUsername(username).Should().Be(expected);

    [Fact]
    public void HttpsLink_NotABotUsername_ThrowsWithTheRule() =>
        FluentActions.Invoking(() => TelegramDeepLinks.HttpsLink("spring", "67wgwWkaR0"))
            .Should().Throw<ArgumentException>().WithMessage("A bot username is 5 to 32 characters of A-Z a-z 0-9 _, starts with a letter and ends in 'bot'; 'spring' is not.*");

    [Theory]
    [InlineData("/start 67wgwWkaR0", "67wgwWkaR0", null)]
    [InlineData("/start 67wgwWkaR0__spring", "67wgwWkaR0", "spring")]
    [InlineData("/start@spring_funnel_bot 67wg_wW-kaR0__sp-1", "67wg_wW-kaR0", "sp-1")]
    [InlineData("  /start   abc_def  ", "abc_def", null)]
    public void ParseStart_DeepLinkMessage_ReturnsClickIdAndTag(string message, string clickId, string? tag)
    {
        var start = TelegramDeepLinks.ParseStart(message);

        start.ClickId.Should().Be(clickId);
        start.CampaignTag.Should().Be(tag);
    }

    [Fact]
    public void ParseStart_WhatCreatePayloadMade_RoundTrips()
    {
        var payload = TelegramDeepLinks.CreatePayload("Ab-c_d", "t1");

        TelegramDeepLinks.ParseStart("/start " + payload).Should().Be(new TelegramStart(payload, "Ab-c_d", "t1"));
    }

    [Theory]
    [InlineData("/start", "The /start message carries no payload: the user opened the bot without a deep link.")]
    [InlineData("hello", "The message is not a /start command.")]
    [InlineData("/starting abc", "The message is not a /start command.")]
    [InlineData("/start abc.def", "A start payload is 1 to 64 characters of A-Z a-z 0-9 _ -; the message's payload is not.")]
    [InlineData("/start __spring", "A payload with '__' is a click id, '__' and a campaign tag of 1 to 16 characters of A-Z a-z 0-9 -; the message's payload is not.")]
    [InlineData("/start abc__", "A payload with '__' is a click id, '__' and a campaign tag of 1 to 16 characters of A-Z a-z 0-9 -; the message's payload is not.")]
    public void ParseStart_NotADeepLink_ThrowsAClearFormatException(string message, string error)
    {
        FluentActions.Invoking(() => TelegramDeepLinks.ParseStart(message)).Should().Throw<FormatException>().WithMessage(error);
        TelegramDeepLinks.TryParseStart(message, out var start).Should().BeFalse();
        start.Should().BeNull();
    }

    [Fact]
    public void ParseStart_SixtyFiveCharacterPayload_Throws() =>
        FluentActions.Invoking(() => TelegramDeepLinks.ParseStart("/start " + new string('a', 65))).Should().Throw<FormatException>();
}
