using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using Chatterfy.Postbacks.AspNetCore.Http;
using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Ingestion;

namespace Chatterfy.Postbacks.AspNetCore.TrackerApi;

/// <summary>
/// Checks a <c>POST /clicks</c> body before it reaches the store: sizes that keep a click row small, an IP address that
/// parses, and tracker field keys that a <c>{{tracker.&lt;key&gt;}}</c> macro can name.
/// </summary>
internal static class ClickRequestValidator
{
    public const int MaxCampaignIdLength = 64;
    public const int MaxSubjectIdLength = 128;
    public const int MaxFacebookValueLength = 1024;
    public const int MaxUserAgentLength = 1024;
    public const int MaxUrlLength = 2048;
    public const int MaxFields = PostbackParser.MaxAttributes;
    public const int MaxFieldKeyLength = 64;
    public const int MaxFieldValueLength = PostbackParser.MaxAttributeValueLength;

    public static bool TryValidate(CreateClickRequest request, [NotNullWhen(true)] out NewClick? click, out Dictionary<string, string[]> errors)
    {
        errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        CheckText(request.CampaignId, "campaignId", MaxCampaignIdLength, errors);
        CheckText(request.SubjectId, "subjectId", MaxSubjectIdLength, errors);
        CheckText(request.Fbclid, "fbclid", MaxFacebookValueLength, errors);
        CheckText(request.Fbc, "fbc", MaxFacebookValueLength, errors);
        CheckText(request.Fbp, "fbp", MaxFacebookValueLength, errors);
        CheckText(request.UserAgent, "userAgent", MaxUserAgentLength, errors);
        CheckText(request.EventSourceUrl, "eventSourceUrl", MaxUrlLength, errors);

        IPAddress? ip = null;
        if (request.Ip is { } ipText && !IsIpAddress(ipText, out ip))
        {
            errors["ip"] = ["The IP address must be an IPv4 (a.b.c.d) or IPv6 address."];
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        if (request.Fields is { } given)
        {
            if (given.Count > MaxFields)
            {
                errors["fields"] = [$"A click has at most {MaxFields} fields."];
            }

            foreach (var (key, value) in given)
            {
                if (!IsFieldKey(key))
                {
                    errors["fields"] = [$"A field key is 1 to {MaxFieldKeyLength} of A-Z a-z 0-9 _ . - so that {{{{tracker.<key>}}}} can name it."];
                }
                else if (value is null || value.Length > MaxFieldValueLength || value.Any(char.IsControl))
                {
                    errors["fields." + key] = [$"A field value is a string of at most {MaxFieldValueLength} characters without control characters."];
                }
                else
                {
                    fields[key] = value;
                }
            }
        }

        if (errors.Count > 0)
        {
            click = null;
            return false;
        }

        click = new NewClick
        {
            CampaignId = request.CampaignId,
            SubjectId = request.SubjectId,
            Fbclid = request.Fbclid,
            Fbc = request.Fbc,
            Fbp = request.Fbp,
            IpAddress = ip,
            UserAgent = request.UserAgent,
            EventSourceUrl = request.EventSourceUrl,
            Fields = fields,
        };
        return true;
    }

    // IPAddress.TryParse also reads "1" and "10.1" as IPv4 shorthands; a click's address is a dotted quad or IPv6.
    internal static bool IsIpAddress(string text, out IPAddress address) =>
        IPAddress.TryParse(text, out address!)
        && (address.AddressFamily == AddressFamily.InterNetworkV6 || text.AsSpan().Count('.') == 3);

    internal static bool IsFieldKey(string key) =>
        key.Length is > 0 and <= MaxFieldKeyLength && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');

    private static void CheckText(string? value, string field, int maxLength, Dictionary<string, string[]> errors)
    {
        if (value is not null && (value.Length == 0 || value.Length > maxLength || value.Any(char.IsControl)))
        {
            errors[field] = [$"'{field}' is 1 to {maxLength} characters without control characters, or null."];
        }
    }
}
