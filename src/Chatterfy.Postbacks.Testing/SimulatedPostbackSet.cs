using Chatterfy.Postbacks.PostbackSets;

namespace Chatterfy.Postbacks.Testing;

/// <summary>A postback set created through the tracker API by <see cref="PostbackSimulator.CreateSetAsync"/>.</summary>
/// <param name="Id">The set's id, as in <c>/api/tracker/postback-sets/{id}</c>.</param>
/// <param name="Name">The set's display name.</param>
/// <param name="Network">The set's network id, e.g. <c>binomo</c>, <c>1win</c> or <c>custom</c>.</param>
/// <param name="CampaignId">The campaign the set is scoped to, or <see langword="null"/>.</param>
/// <param name="Urls">The set's postback URLs with the network's macros literal, as a marketer pastes them into the network's panel.</param>
public sealed record SimulatedPostbackSet(string Id, string Name, string Network, string? CampaignId, PostbackUrls Urls);
