namespace Chatterfy.Postbacks.Forwarding;

/// <summary>One invalid field of a forwarding rule's destination settings.</summary>
/// <param name="Field">The field path from the request root, e.g. <c>settings.pixelId</c>.</param>
/// <param name="Message">What is wrong, in a sentence a marketer can act on.</param>
public sealed record DestinationSettingsError(string Field, string Message);
