using Chatterfy.Postbacks.Networks;
using Chatterfy.Postbacks.PostbackSets;

namespace Chatterfy.Postbacks.Dashboard.Pages.Sets;

/// <summary>One of a set's URLs as the set's page shows it.</summary>
/// <param name="Id">The element id of the URL (stable, for the browser tests): <c>url-registration</c> …</param>
/// <param name="Title">Its heading, e.g. <c>Registration</c>.</param>
/// <param name="Url">The URL.</param>
/// <param name="Hint">Which field of the network's panel takes it.</param>
internal sealed record SetUrlItem(string Id, string Title, string Url, string Hint)
{
    /// <summary>Gets what its Copy button copies, e.g. <c>Registration URL</c>.</summary>
    public string CopyLabel => Title.EndsWith(" URL", StringComparison.Ordinal) ? Title : Title + " URL";
}

/// <summary>
/// Which of a set's URLs the set's page shows, and the one-line hint of the network panel's field each goes into (the
/// words of docs/networks.md, "In … panel (marketer)").
/// </summary>
internal static class SetUrlHints
{
    /// <summary>Lists the URLs to show for a set of <paramref name="networkId"/>: Registration, First Deposit, Deposit, and Binomo's bare URL.</summary>
    /// <param name="networkId">The set's network id.</param>
    /// <param name="networkName">The network's display name.</param>
    /// <param name="urls">The set's URLs.</param>
    /// <returns>The items, in the order of the page.</returns>
    public static IReadOnlyList<SetUrlItem> For(string networkId, string networkName, PostbackUrls urls)
    {
        var binomo = networkId == NetworkIds.Binomo;

        // Binomo appends its own query: a '?' after the URL breaks its postback.
        var exactly = binomo ? " Paste it exactly as shown: add nothing after it, not even a ?." : "";
        List<SetUrlItem> items =
        [
            new("url-registration", "Registration", urls.Registration, $"Goes into {networkName}'s registration postback field.{exactly}"),
            new("url-first-deposit", "First Deposit", urls.FirstDeposit, $"Goes into {networkName}'s first deposit (FTD) postback field.{exactly}"),
            new("url-deposit", "Deposit", urls.Deposit, $"Goes into {networkName}'s repeat deposit postback field.{exactly}"),
        ];
        if (binomo)
        {
            items.Add(new("url-base", "Bare URL", urls.Base,
                $"Goes into {networkName}'s single postback field for all events, instead of the three above: Binomo's event flag (reg, ftd, dep) names the event.{exactly}"));
        }

        return items;
    }
}
