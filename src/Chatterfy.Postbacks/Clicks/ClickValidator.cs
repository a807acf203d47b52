using Chatterfy.Postbacks.Ingestion;

namespace Chatterfy.Postbacks.Clicks;

/// <summary>
/// The rules of a new click, in one place: each text value is 1 to its limit's characters without control characters (or
/// absent), tracker field keys are what a <c>{{tracker.&lt;key&gt;}}</c> macro can name, and field values keep their limit.
/// <see cref="ClickService"/> applies them before it makes a click; the tracker API and the click redirect read with them.
/// </summary>
public static class ClickValidator
{
    /// <summary>Checks a new click against limits.</summary>
    /// <param name="click">The click.</param>
    /// <param name="limits">The limits, e.g. <see cref="ClickLimits.Default"/>.</param>
    /// <returns>Field path (camelCase, e.g. <c>fields.ad_name</c>) to its error messages; empty when the click is valid.</returns>
    public static Dictionary<string, string[]> Validate(NewClick click, ClickLimits limits)
    {
        ArgumentNullException.ThrowIfNull(click);
        ArgumentNullException.ThrowIfNull(limits);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        CheckText(click.CampaignId, "campaignId", limits.MaxCampaignIdLength, errors);
        CheckText(click.SubjectId, "subjectId", limits.MaxSubjectIdLength, errors);
        CheckText(click.Fbclid, "fbclid", limits.MaxFbclidLength, errors);
        CheckText(click.Fbc, "fbc", limits.MaxFacebookCookieLength, errors);
        CheckText(click.Fbp, "fbp", limits.MaxFacebookCookieLength, errors);
        CheckText(click.UserAgent, "userAgent", limits.MaxUserAgentLength, errors);
        CheckText(click.EventSourceUrl, "eventSourceUrl", limits.MaxUrlLength, errors);
        if (click.Fields is { } fields)
        {
            if (fields.Count > limits.MaxFields)
            {
                errors["fields"] = [$"A click has at most {limits.MaxFields} fields."];
            }

            foreach (var (key, value) in fields)
            {
                if (!IsFieldKey(key))
                {
                    errors["fields"] = [$"A field key is 1 to {limits.MaxFieldKeyLength} of A-Z a-z 0-9 _ . - so that {{{{tracker.<key>}}}} can name it."];
                }
                else if (!IsFieldValue(value, limits))
                {
                    errors["fields." + key] = [$"A field value is a string of at most {limits.MaxFieldValueLength} characters without control characters."];
                }
            }
        }

        return errors;
    }

    /// <summary>
    /// Tells whether a tracker field key is 1 to <see cref="PostbackParser.MaxAttributeKeyLength"/> of
    /// <c>A-Z a-z 0-9 _ . -</c>, so that <c>{{tracker.&lt;key&gt;}}</c> can name it: the rule of postback attribute keys too.
    /// </summary>
    /// <param name="key">The key.</param>
    /// <returns><see langword="true"/> when it is.</returns>
    public static bool IsFieldKey(string? key) => key is not null && CanonicalFields.IsAttributeKey(key);

    /// <summary>Tells whether a tracker field value is at most the limit's characters without control characters.</summary>
    /// <param name="value">The value.</param>
    /// <param name="limits">The limits.</param>
    /// <returns><see langword="true"/> when it is.</returns>
    public static bool IsFieldValue(string? value, ClickLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return value is not null && value.Length <= limits.MaxFieldValueLength && !value.Any(char.IsControl);
    }

    private static void CheckText(string? value, string field, int maxLength, Dictionary<string, string[]> errors)
    {
        if (value is not null && (value.Length == 0 || value.Length > maxLength || value.Any(char.IsControl)))
        {
            errors[field] = [$"'{field}' is 1 to {maxLength} characters without control characters, or null."];
        }
    }
}
