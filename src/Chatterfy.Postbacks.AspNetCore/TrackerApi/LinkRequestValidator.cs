using Chatterfy.Postbacks.AspNetCore.Http;
using Chatterfy.Postbacks.Templates;

namespace Chatterfy.Postbacks.AspNetCore.TrackerApi;

/// <summary>Checks a <c>POST /links</c> body and applies its variables to the click's template values.</summary>
internal static class LinkRequestValidator
{
    public const int MaxTemplateLength = 8 * 1024;
    public const int MaxVariables = 100;
    public const int MaxVariableValueLength = 2048;

    private const string TrackerPrefix = "tracker.";
    private const string FieldsPrefix = "fields.";

    public static bool TryValidate(RenderLinkRequest request, out Dictionary<string, string[]> errors)
    {
        errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(request.Template) || request.Template.Length > MaxTemplateLength)
        {
            errors["template"] = [$"A template is 1 to {MaxTemplateLength} characters."];
        }

        if (request.ClickId is not null ? request.SubjectId is not null || request.CampaignId is not null : request.SubjectId is null || request.CampaignId is null)
        {
            errors["clickId"] = ["Give clickId, or subjectId and campaignId: the link is rendered for one click, or for the click of a chat user in a campaign."];
        }
        else if (request.ClickId is { Length: 0 })
        {
            errors["clickId"] = ["The click id, when given, is not empty."];
        }

        if (request.SetId is { Length: 0 })
        {
            errors["setId"] = ["The set id, when given, is not empty."];
        }

        if (request.Variables is { } variables)
        {
            if (variables.Count > MaxVariables)
            {
                errors["variables"] = [$"At most {MaxVariables} variables."];
            }

            foreach (var (name, value) in variables)
            {
                var normalized = Normalize(name);
                if (!LinkTemplate.IsMacroName(normalized))
                {
                    errors["variables"] = [$"A variable name is a macro name without braces, 1 to {LinkTemplate.MaxMacroNameLength} of A-Z a-z 0-9 _ . -, e.g. chatid or fields.country."];
                }
                else if (LinkTemplate.IsClickIdMacro(normalized))
                {
                    errors["variables." + name] = ["The click id comes from clickId and cannot be overridden."];
                }
                else if (value is { Length: > MaxVariableValueLength })
                {
                    errors["variables." + name] = [$"A variable value is at most {MaxVariableValueLength} characters."];
                }
            }
        }

        return errors.Count == 0;
    }

    /// <summary>
    /// Applies variables by normalized macro name: <c>chatid</c>, <c>username</c>, <c>tracker.&lt;key&gt;</c> (overrides the
    /// click's field), <c>fields.&lt;key&gt;</c>, anything else as a named variable. <see langword="null"/> values are skipped.
    /// </summary>
    public static void Apply(Dictionary<string, string?>? variables, TemplateValues values)
    {
        if (variables is null)
        {
            return;
        }

        foreach (var (name, value) in variables)
        {
            if (value is null)
            {
                continue;
            }

            var normalized = Normalize(name);
            if (normalized == "chatid")
            {
                values.ChatId = value;
            }
            else if (normalized == "username")
            {
                values.Username = value;
            }
            else if (normalized.StartsWith(TrackerPrefix, StringComparison.Ordinal))
            {
                values.TrackerFields[normalized[TrackerPrefix.Length..]] = value;
            }
            else if (normalized.StartsWith(FieldsPrefix, StringComparison.Ordinal))
            {
                values.Fields[normalized[FieldsPrefix.Length..]] = value;
            }
            else
            {
                values.Variables[normalized] = value;
            }
        }
    }

    private static string Normalize(string name) => name.Trim().ToLowerInvariant();
}
