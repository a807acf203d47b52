namespace Chatterfy.Postbacks.Campaigns;

/// <summary>A campaign's destination rendered for one click by <see cref="CampaignService.RenderDestination"/>: where the click redirect sends the visitor.</summary>
/// <param name="Location">
/// The absolute URL for the <c>Location</c> header: printable ASCII, on the template's own host, at most
/// <see cref="CampaignService.MaxLocationLength"/> characters for a destination saved with today's checks and a click id of
/// at most <see cref="Clicks.Click.MaxIdLength"/> characters.
/// </param>
/// <param name="OmittedFields">
/// The keys of the tracker fields (e.g. <c>utm_source</c>) that rendered empty because their encoded value would have
/// pushed <paramref name="Location"/> past <see cref="CampaignService.MaxLocationLength"/>; empty when none did.
/// </param>
/// <param name="HostMacrosOmitted">
/// <see langword="true"/> when the destination, saved before macros in its host were refused, has macros there: they
/// rendered empty, so no click value chose the host. Replace the destination to fix it.
/// </param>
public sealed record RenderedDestination(string Location, IReadOnlyList<string> OmittedFields, bool HostMacrosOmitted);
