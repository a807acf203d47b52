using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.PostbackSets;

namespace Chatterfy.Postbacks.Networks.Custom;

/// <summary>
/// Any network not built in: the marketer supplies the network's macro for each canonical field and the postback URLs
/// are built from them, e.g. <c>…/first-deposit?clickid={subid}&amp;amount={payout}&amp;tid={txid}</c>.
/// </summary>
public sealed class CustomNetwork : AffiliateNetwork<CustomNetworkSettings>
{
    /// <inheritdoc />
    public override string Id => NetworkIds.Custom;

    /// <inheritdoc />
    public override string DisplayName => "Custom";

    /// <inheritdoc />
    protected override void Validate(CustomNetworkSettings settings, ICollection<NetworkSettingsError> errors)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(errors);
        // A missing click id macro is refused by the binder, from the setting's [Required].
        if (!string.IsNullOrWhiteSpace(settings.ClickIdMacro))
        {
            Check(settings.ClickIdMacro, "settings.clickIdMacro");
        }

        Check(settings.AmountMacro, "settings.amountMacro");
        Check(settings.CurrencyMacro, "settings.currencyMacro");
        Check(settings.TransactionIdMacro, "settings.transactionIdMacro");
        Check(settings.EventMacro, "settings.eventMacro");
        if (settings.Currency is not null)
        {
            if (settings.CurrencyMacro is not null)
            {
                errors.Add(new NetworkSettingsError("settings.currency", "Set either currency (a fixed currency) or currencyMacro (the network sends it), not both."));
            }
            else if (settings.Currency.Length != 3 || !settings.Currency.All(char.IsAsciiLetter))
            {
                errors.Add(new NetworkSettingsError("settings.currency", $"'{settings.Currency}' is not an ISO 4217 currency code (three letters, e.g. USD)."));
            }
        }

        if (settings.Fields is not null)
        {
            foreach (var (key, macro) in settings.Fields)
            {
                if (key is null || !CanonicalFields.IsAttributeKey(key))
                {
                    errors.Add(new NetworkSettingsError("settings.fields", $"The field key '{key}' must be 1 to {PostbackParser.MaxAttributeKeyLength} letters, digits, '_', '-' or '.'."));
                }
                else
                {
                    Check(macro, "settings.fields." + key);
                }
            }
        }

        void Check(string? macro, string field)
        {
            if (macro is not null && NetworkMacro.Validate(macro) is { } message)
            {
                errors.Add(new NetworkSettingsError(field, message));
            }
        }
    }

    /// <inheritdoc />
    protected override NetworkProfile CreateProfile(CustomNetworkSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var registration = new PostbackQueryBuilder().Add("clickid", settings.ClickIdMacro);
        PostbackQueryBuilder Deposit() => new PostbackQueryBuilder()
            .Add("clickid", settings.ClickIdMacro)
            .Add("amount", settings.AmountMacro)
            .Add("currency", settings.CurrencyMacro)
            .Add("tid", settings.TransactionIdMacro);
        var deposit = Deposit();
        var bare = Deposit().Add("event", settings.EventMacro);
        if (settings.Fields is not null)
        {
            foreach (var (key, macro) in settings.Fields.OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                registration.Add("fields." + key, macro);
                deposit.Add("fields." + key, macro);
                bare.Add("fields." + key, macro);
            }
        }

        var currency = settings.Currency?.ToUpperInvariant() ?? "USD";
        return new CustomProfile(currency, registration.ToString(), deposit.ToString(), bare.ToString());
    }

    private sealed class CustomProfile(string defaultCurrency, string registrationQuery, string depositQuery, string bareQuery) : NetworkProfile
    {
        public override string DefaultCurrency => defaultCurrency;

        public override string GetPostbackQuery(PostbackUrlKind kind) => kind switch
        {
            PostbackUrlKind.Registration => registrationQuery,
            PostbackUrlKind.Base => bareQuery,
            _ => depositQuery,
        };
    }
}
