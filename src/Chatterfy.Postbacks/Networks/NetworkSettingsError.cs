namespace Chatterfy.Postbacks.Networks;

/// <summary>One invalid field of a postback set's network settings.</summary>
/// <param name="Field">The field path from the request root, e.g. <c>settings.clickIdSub</c>.</param>
/// <param name="Message">What is wrong, in a sentence a marketer can act on.</param>
public sealed record NetworkSettingsError(string Field, string Message);
