using System.ComponentModel.DataAnnotations;

namespace Chatterfy.Postbacks.Forwarding.Reactions;

/// <summary>The settings of a <see cref="SignedWebhookDestination"/> rule.</summary>
public sealed class SignedWebhookSettings
{
    /// <summary>Gets or sets the URL each conversion is posted to as JSON.</summary>
    [Required(ErrorMessage = "The webhook URL is required, e.g. \"https://bot.example/chatterfy/webhook\".")]
    [Display(Name = "Webhook URL", Description = "Where each conversion is posted as JSON, signed in the Chatterfy-Signature header.")]
    public string? Url { get; set; }

    /// <summary>Gets or sets the signing secret (at least 16 characters). Write-only.</summary>
    [Required(ErrorMessage = "The signing secret is required (at least 16 characters).")]
    [Display(Name = "Signing secret", Description = "The HMAC-SHA256 key of the signature, at least 16 characters.")]
    public string? Secret { get; set; }

    /// <summary>Gets or sets the previous secret while receivers move to the new one: each request then carries two <c>v1</c>. Write-only.</summary>
    [Display(Name = "Previous secret", Description = "While rotating: the old secret, signed too until every receiver has the new one.")]
    public string? PreviousSecret { get; set; }
}
