namespace Chatterfy.Postbacks.Forwarding;

/// <summary>A fixed URL a destination profile calls, with the setting it comes from.</summary>
/// <param name="Field">The settings field, e.g. <c>settings.graphBaseUrl</c>, named in errors.</param>
/// <param name="Url">The absolute URL (at least its scheme, host and port).</param>
public sealed record DestinationEndpoint(string Field, Uri Url);
