using System.Diagnostics.CodeAnalysis;
using Chatterfy.Postbacks.PostbackSets;

namespace Chatterfy.Postbacks.Networks.OneWin;

/// <summary>
/// 1Win. Its panel has one postback field per event and no click-id field: the click id travels in a sub parameter
/// (<c>sub1</c>…<c>sub4</c>) of the affiliate link and comes back through the matching macro. The macros come from
/// public integrations, not an official spec, so each is overridable per set.
/// </summary>
public sealed class OneWinNetwork : AffiliateNetwork<OneWinSettings>
{
    /// <inheritdoc />
    public override string Id => NetworkIds.OneWin;

    /// <inheritdoc />
    public override string DisplayName => "1Win";

    /// <inheritdoc />
    protected override void Validate(OneWinSettings settings, ICollection<NetworkSettingsError> errors)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(errors);
        if (settings.ClickIdSub is not null and not ("sub1" or "sub2" or "sub3" or "sub4"))
        {
            errors.Add(new NetworkSettingsError("settings.clickIdSub", $"'{settings.ClickIdSub}' is not a 1Win sub parameter: use sub1, sub2, sub3 or sub4."));
        }

        if (settings.Macros is { } macros)
        {
            Check(macros.ClickId, "clickId");
            Check(macros.UserId, "userId");
            Check(macros.Country, "country");
            Check(macros.Amount, "amount");
            Check(macros.TransactionId, "transactionId");
        }

        void Check(string? macro, string name)
        {
            if (macro is not null && NetworkMacro.Validate(macro) is { } message)
            {
                errors.Add(new NetworkSettingsError("settings.macros." + name, message));
            }
        }
    }

    /// <inheritdoc />
    protected override NetworkProfile CreateProfile(OneWinSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var sub = settings.ClickIdSub ?? "sub1";
        var macros = settings.Macros ?? new OneWinMacros();
        PostbackQueryBuilder Registration() => new PostbackQueryBuilder()
            .Add("clickid", macros.ClickId ?? "{" + sub + "}")
            .Add("fields.user_id", macros.UserId ?? "{user_id}")
            .Add("fields.country", macros.Country ?? "{country}");
        var deposit = Registration()
            .Add("amount", macros.Amount ?? "{amount}")
            .Add("tid", macros.TransactionId ?? "{transaction_id}");
        return new OneWinProfile(sub, Registration().ToString(), deposit.ToString());
    }

    private sealed class OneWinProfile(string clickIdSub, string registrationQuery, string depositQuery) : NetworkProfile
    {
        public override string? ClickIdLinkParameter => clickIdSub;

        // The click id may also arrive as the sub parameter itself (sub4=…), as some marketers paste 1Win's macros under
        // their own names; it ranks after clickid, so clickid wins unless it is an unsubstituted macro.
        public override bool TryMapParameter(string name, [NotNullWhen(true)] out string? canonicalName)
        {
            canonicalName = name.Equals(clickIdSub, StringComparison.OrdinalIgnoreCase) ? "click_id" : null;
            return canonicalName is not null;
        }

        // The bare URL gets the deposit query too: whoever configures it adds an event parameter, and any event may need an amount.
        public override string GetPostbackQuery(PostbackUrlKind kind) =>
            kind == PostbackUrlKind.Registration ? registrationQuery : depositQuery;
    }
}
