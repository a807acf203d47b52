using Chatterfy.Postbacks.Configuration;
using Chatterfy.Postbacks.Currencies;
using Chatterfy.Postbacks.Templates;

namespace Chatterfy.Postbacks;

/// <summary>Options of the Chatterfy postback SDK, bound from the <c>Postbacks</c> configuration section by convention.</summary>
public sealed class ChatterfyPostbacksOptions
{
    /// <summary>The shortest click id length allowed by <see cref="ClickIdLength"/>.</summary>
    public const int MinClickIdLength = 8;

    /// <summary>The longest click id length allowed by <see cref="ClickIdLength"/>.</summary>
    public const int MaxClickIdLength = 32;

    /// <summary>The configuration section the options are bound from by convention.</summary>
    internal const string Section = "Postbacks:";

    /// <summary>The default receiver path prefix.</summary>
    public const string DefaultReceiverPathPrefix = "/api/postbacks";

    /// <summary>
    /// Gets or sets the public base URL of the receiver as the networks reach it, e.g. <c>https://pb.example.com</c>
    /// (scheme, host, optional port and path base; no query, no trailing slash needed).
    /// </summary>
    /// <value>Defaults to <see langword="null"/>: URL builders must then be given a base URL (the ASP.NET Core
    /// package takes it from the management request).</value>
    public string? PublicBaseUrl { get; set; }

    /// <summary>Gets or sets the path under which the receiver listens; postback URLs are <c>{PublicBaseUrl}{ReceiverPathPrefix}/{token}/…</c>.</summary>
    /// <value>Defaults to <c>/api/postbacks</c>. Must start with <c>/</c>.</value>
    public string ReceiverPathPrefix { get; set; } = DefaultReceiverPathPrefix;

    /// <summary>Gets or sets the length of click ids minted by <see cref="Clicks.RandomClickIdGenerator"/>.</summary>
    /// <value>Defaults to 12 (71 bits). From 8 to 32.</value>
    [OptionRange(Section + nameof(ClickIdLength), MinClickIdLength, MaxClickIdLength)]
    public int ClickIdLength { get; set; } = 12;

    /// <summary>
    /// Gets or sets how long an identical deposit or custom event without a transaction id is treated as a retry of the
    /// first one, measured from the first one's receive time. After it, an identical postback counts as new.
    /// </summary>
    /// <value>Defaults to 24 hours, the usual retry horizon of affiliate networks. From 1 minute to 30 days.</value>
    [OptionRange(Section + nameof(DeduplicationWindow), typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan DeduplicationWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Gets or sets how long a token lookup, and a campaign's attribution window, is cached in memory. The instance that
    /// changes a set or a campaign drops its cached entries at once; other instances sharing the database see a change (a
    /// disabled set, a rotated token, a new window) within this time.
    /// </summary>
    /// <value>Defaults to 5 seconds; zero disables the cache. At most 10 minutes.</value>
    [OptionRange(Section + nameof(SetCacheDuration), typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan SetCacheDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Gets or sets how long an unknown token is remembered as unknown, so guessing tokens does not reach the database
    /// at full rate.
    /// </summary>
    /// <value>Defaults to 2 seconds; zero disables it. At most 1 minute.</value>
    [OptionRange(Section + nameof(UnknownTokenCacheDuration), typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan UnknownTokenCacheDuration { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets or sets how long postback log entries are kept; older ones are purged by a background job.</summary>
    /// <value>Defaults to 30 days; zero keeps them for ever. At most 3650 days (about 10 years).</value>
    [OptionRange(Section + nameof(LogRetention), typeof(TimeSpan), "00:00:00", "3650.00:00:00")]
    public TimeSpan LogRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Gets or sets how often the log retention job runs.</summary>
    /// <value>Defaults to 1 hour. From 1 minute to 1 day.</value>
    [OptionRange(Section + nameof(LogRetentionInterval), typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan LogRetentionInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets or sets what link templates do with a macro no variable source knows.</summary>
    /// <value>Defaults to <see cref="UnknownMacroBehavior.LeaveAsIs"/>: the macro stays in the output and is reported.</value>
    public UnknownMacroBehavior UnknownMacros { get; set; } = UnknownMacroBehavior.LeaveAsIs;

    /// <summary>
    /// Gets or sets the currency every amount is also converted into when it is received (e.g. <c>USD</c>), for one total
    /// across payout currencies. The conversion is stored with the conversion and never changes afterwards. Needs an
    /// exchange-rate source: <see cref="ExchangeRates"/>, or an <see cref="IExchangeRateSource"/> registered in the
    /// service collection.
    /// </summary>
    /// <value>
    /// Defaults to <see langword="null"/>: no reporting currency (nothing is converted, stats give <c>reporting: null</c>).
    /// When set, an upper-case ISO 4217 code whose minor units the library knows (USD, EUR, BRL, INR, GBP, JPY, …).
    /// </value>
    public string? ReportingCurrency { get; set; }

    /// <summary>Gets the built-in exchange-rate sources the reporting currency may use (<c>Postbacks:ExchangeRates</c>).</summary>
    /// <value>Defaults to no fixed rates and no ECB file.</value>
    public ExchangeRateOptions ExchangeRates { get; } = new();
}
