using System.Diagnostics.CodeAnalysis;

namespace Chatterfy.Postbacks.Ingestion;

/// <summary>
/// A conversion event: one of the three known kinds, or a custom event with its normalized name.
/// </summary>
/// <remarks>
/// Names are matched case-insensitively with <c>-</c> and <c>_</c> ignored. Registration: <c>registration</c>,
/// <c>reg</c>, <c>lead</c>, <c>signup</c>. First deposit: <c>first-deposit</c>, <c>ftd</c>, <c>sale</c>.
/// Deposit: <c>deposit</c>, <c>resale</c>, <c>redeposit</c>, <c>dep</c>, <c>rd</c>. Any other name matching
/// <c>[a-z0-9_-]{1,32}</c> (after lower-casing) is a custom event.
/// </remarks>
public readonly record struct PostbackEvent
{
    /// <summary>The registration event's name; the one home of the word.</summary>
    internal const string RegistrationName = "registration";

    /// <summary>The first deposit event's name; the one home of the word.</summary>
    internal const string FirstDepositName = "first-deposit";

    /// <summary>The repeat deposit event's name; the one home of the word.</summary>
    internal const string DepositName = "deposit";

    /// <summary>The longest custom event name, in characters.</summary>
    public const int MaxCustomNameLength = 32;

    /// <summary>The longest name <see cref="TryParse"/> reads (an alias may carry <c>-</c> and <c>_</c> it ignores).</summary>
    private const int MaxNameLength = 64;

    // default(PostbackEvent) is a registration: Kind defaults to 0, and Name falls back to match it.
    private readonly string? _name;

    private PostbackEvent(PostbackEventKind kind, string name)
    {
        Kind = kind;
        _name = name;
    }

    /// <summary>Gets the registration event.</summary>
    public static PostbackEvent Registration { get; } = new(PostbackEventKind.Registration, RegistrationName);

    /// <summary>Gets the first deposit (FTD) event.</summary>
    public static PostbackEvent FirstDeposit { get; } = new(PostbackEventKind.FirstDeposit, FirstDepositName);

    /// <summary>Gets the repeat deposit event.</summary>
    public static PostbackEvent Deposit { get; } = new(PostbackEventKind.Deposit, DepositName);

    /// <summary>Gets the event's kind.</summary>
    public PostbackEventKind Kind { get; }

    /// <summary>
    /// Gets the canonical name: <c>registration</c>, <c>first-deposit</c>, <c>deposit</c>, or the lower-cased custom name.
    /// </summary>
    public string Name => _name ?? RegistrationName;

    /// <summary>Gets a value indicating whether the event carries money that must be present (first deposit and deposit).</summary>
    public bool RequiresAmount => Kind is PostbackEventKind.FirstDeposit or PostbackEventKind.Deposit;

    /// <summary>Parses an event name with the rules described on <see cref="PostbackEvent"/>.</summary>
    /// <param name="name">The name as received, e.g. <c>FTD</c>, <c>first_deposit</c> or <c>emailconf</c>.</param>
    /// <param name="value">The parsed event.</param>
    /// <returns><see langword="true"/> when the name is a known alias or a valid custom event name.</returns>
    public static bool TryParse([NotNullWhen(true)] string? name, out PostbackEvent value)
    {
        value = default;
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength)
        {
            return false;
        }

        Span<char> squeezed = stackalloc char[name.Length];
        var length = 0;
        foreach (var c in name)
        {
            if (c is '-' or '_')
            {
                continue;
            }

            squeezed[length++] = char.ToLowerInvariant(c);
        }

        ReadOnlySpan<char> key = squeezed[..length];
        if (key is RegistrationName or "reg" or "lead" or "signup")
        {
            value = Registration;
            return true;
        }

        if (key is "firstdeposit" or "ftd" or "sale")
        {
            value = FirstDeposit;
            return true;
        }

        if (key is DepositName or "resale" or "redeposit" or "dep" or "rd")
        {
            value = Deposit;
            return true;
        }

        if (name.Length > MaxCustomNameLength)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }

        value = new PostbackEvent(PostbackEventKind.Custom, name.ToLowerInvariant());
        return true;
    }

    /// <summary>Creates the event for a known kind.</summary>
    /// <param name="kind">A kind other than <see cref="PostbackEventKind.Custom"/>.</param>
    /// <returns>The event of that kind.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is <see cref="PostbackEventKind.Custom"/> or undefined.</exception>
    public static PostbackEvent FromKind(PostbackEventKind kind) => kind switch
    {
        PostbackEventKind.Registration => Registration,
        PostbackEventKind.FirstDeposit => FirstDeposit,
        PostbackEventKind.Deposit => Deposit,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Custom events are created by name with TryParse."),
    };

    /// <inheritdoc />
    public override string ToString() => Name;
}
