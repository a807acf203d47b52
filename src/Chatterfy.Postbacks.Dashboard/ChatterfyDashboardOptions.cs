using Chatterfy.Postbacks.Configuration;
using Microsoft.Extensions.Options;

namespace Chatterfy.Postbacks.Dashboard;

/// <summary>Options of the dashboard (<c>AddDashboard(…)</c>; configuration section <c>Postbacks:Dashboard</c> in the docs).</summary>
public sealed class ChatterfyDashboardOptions
{
    internal const string Section = "Postbacks:Dashboard:";

    /// <summary>Gets or sets how long a sign-in through the dashboard's sign-in page lasts without use.</summary>
    /// <value>Defaults to 8 hours; 5 minutes to 30 days. A request in the second half of the period renews it.</value>
    [OptionRange(Section + nameof(SignInLifetime), typeof(TimeSpan), "00:05:00", "30.00:00:00", ErrorMessage = OptionRangeAttribute.FromTo)]
    public TimeSpan SignInLifetime { get; set; } = TimeSpan.FromHours(8);
}

/// <summary>The generated check of <see cref="ChatterfyDashboardOptions"/>' ranges.</summary>
[OptionsValidator]
internal sealed partial class ChatterfyDashboardOptionsValidator : IValidateOptions<ChatterfyDashboardOptions>;
