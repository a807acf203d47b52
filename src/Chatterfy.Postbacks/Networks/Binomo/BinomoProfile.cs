using System.Diagnostics.CodeAnalysis;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.PostbackSets;

namespace Chatterfy.Postbacks.Networks.Binomo;

internal sealed class BinomoProfile(KeyValuePair<string, PostbackEvent>[] eventFlags) : NetworkProfile
{
    // The variable names docs/networks.md tells the marketer to configure in Binomo's panel.
    private static readonly KeyValuePair<string, string>[] MappedParameters =
    [
        new("user_id", "fields.user_id"),
        new("site_id", "fields.site_id"),
        new("campaign_id", "fields.campaign_id"),
    ];

    public override string? ClickIdLinkParameter => "click_id";

    // Binomo's appended query may not follow a '?' of ours: its postback breaks. The event comes from the path or a flag.
    public override string GetPostbackQuery(PostbackUrlKind kind) => "";

    public override bool EventFlagsOverridePath => true;

    public override bool TryMapParameter(string name, [NotNullWhen(true)] out string? canonicalName)
    {
        foreach (var (binomoName, canonical) in MappedParameters)
        {
            if (name.Equals(binomoName, StringComparison.OrdinalIgnoreCase))
            {
                canonicalName = canonical;
                return true;
            }
        }

        canonicalName = null;
        return false;
    }

    public override PostbackEvent? DetectEventFromFlags(PostbackParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        foreach (var (flag, flaggedEvent) in eventFlags)
        {
            if (parameters.TryGetValue(flag, out var value) && IsTrue(value))
            {
                return flaggedEvent;
            }
        }

        return null;
    }

    private static bool IsTrue(string value) =>
        value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase);
}
