using System.Text.Json;
using System.Text.Json.Nodes;

namespace Chatterfy.Postbacks.Forwarding;

/// <summary>
/// A place conversions are forwarded to (the Facebook Conversions API, a server-to-server postback URL …): the extension
/// point for adding a destination without touching the core. Derive from <see cref="ForwardingDestination{TSettings}"/>
/// to get typed, validated per-rule settings for free.
/// </summary>
/// <remarks>
/// A destination is a stateless singleton registered with <c>AddForwardingDestination&lt;TDestination&gt;(id)</c>. For each
/// forwarding rule it creates a <see cref="DestinationProfile"/> from the rule's settings; the profile decides which events
/// it forwards, how messages are batched and how one call is made. See <c>docs/forwarding.md</c>.
/// </remarks>
public abstract class ForwardingDestination
{
    private const string HttpClientNamePrefix = "Chatterfy.Postbacks.Forwarding.";

    /// <summary>
    /// Gets the destination's id as stored on forwarding rules, e.g. <c>facebook-capi</c>. 1 to 32 lower-case letters,
    /// digits and <c>-</c>.
    /// </summary>
    public abstract string Id { get; }

    /// <summary>Gets the name shown to marketers, e.g. <c>Facebook Conversions API</c>.</summary>
    public abstract string DisplayName { get; }

    /// <summary>
    /// Gets the names of the top-level settings that are secrets (e.g. <c>accessToken</c>): write-only, never returned by
    /// the tracker API and never logged. <see cref="MaskSecrets"/> masks them, and the dispatcher masks their values in
    /// whatever the destination answers before an attempt is stored or logged.
    /// </summary>
    /// <value>Defaults to none.</value>
    public virtual IReadOnlyList<string> SecretSettings => [];

    /// <summary>
    /// Gets a JSON Schema of a rule's settings, from which the dashboard renders the settings form: each property's
    /// <c>title</c> is the field's label, its <c>description</c> the hint, <c>required</c> the fields that must be filled,
    /// and every name in <see cref="SecretSettings"/> is <c>"writeOnly": true</c> (shown masked, never filled in).
    /// </summary>
    /// <value>
    /// Defaults to <see langword="null"/>: no schema, the settings are edited as JSON.
    /// <see cref="ForwardingDestination{TSettings}"/> describes its settings type. Each read returns a new object, which
    /// the caller may change.
    /// </value>
    public virtual JsonObject? SettingsSchema => null;

    /// <summary>Gets the name of the <see cref="HttpClient"/> (from <c>IHttpClientFactory</c>) that serves a destination.</summary>
    /// <param name="destinationId">The destination's id.</param>
    /// <returns>The client name, <c>Chatterfy.Postbacks.Forwarding.{destinationId}</c>.</returns>
    public static string GetHttpClientName(string destinationId)
    {
        ArgumentException.ThrowIfNullOrEmpty(destinationId);
        return HttpClientNamePrefix + destinationId;
    }

    /// <summary>Validates a rule's settings and creates the profile that serves that rule.</summary>
    /// <param name="settings">The rule's settings as a JSON object; <see cref="JsonValueKind.Undefined"/> or <c>null</c> for the defaults.</param>
    /// <returns>The profile for the rule.</returns>
    /// <exception cref="InvalidDestinationSettingsException">The settings are invalid; the exception names each bad field.</exception>
    /// <remarks>
    /// This checks the shape of every URL (absolute <c>http</c>/<c>https</c>, no macros in the host) but does not apply the
    /// host's <see cref="OutboundUrlPolicy"/>; <see cref="IForwardingDestinationRegistry.CreateProfileAsync"/> does both, and
    /// the policy is enforced again when each request connects.
    /// </remarks>
    public abstract DestinationProfile CreateProfile(JsonElement settings);

    /// <summary>Creates the profile of a stored rule, with the masker of the rule's secrets the dispatcher applies to its outcomes.</summary>
    internal DestinationProfile CreateRuleProfile(JsonElement settings)
    {
        var profile = CreateProfile(settings);
        profile.Secrets = new SecretScrubber([.. SecretMasker.Values(settings, SecretSettings), .. profile.ImpliedSecrets]);
        return profile;
    }

    /// <summary>
    /// Returns a copy of <paramref name="settings"/> whose secret values (<see cref="SecretSettings"/>, matched
    /// case-insensitively, top level only) are masked: a string of 16 characters or more becomes <c>****</c> followed by its
    /// last four characters (<c>"accessToken":"****abcd"</c>), anything else becomes <c>****</c>. Use it for API answers and logs.
    /// </summary>
    /// <param name="settings">The settings as stored.</param>
    /// <returns>The masked settings; <paramref name="settings"/> itself when it is not a JSON object.</returns>
    public JsonElement MaskSecrets(JsonElement settings) => SecretMasker.Mask(settings, SecretSettings);
}
