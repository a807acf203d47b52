using Chatterfy.Postbacks.Tests.Approvals;
using PublicApiGenerator;

namespace Chatterfy.Postbacks.Dashboard.Tests.PublicApi;

public sealed class PublicApiTests
{
    // A change to this file is a change to what users compile against: review it like a release note.
    [Fact]
    public void PublicApi_ChatterfyPostbacksDashboard_MatchesApprovedFile()
    {
        var api = typeof(ChatterfyDashboardOptions).Assembly.GeneratePublicApi(new ApiGeneratorOptions
        {
            ExcludeAttributes = ["System.Runtime.Versioning.TargetFrameworkAttribute", "System.Reflection.AssemblyMetadataAttribute"],
            AllowNamespacePrefixes = ["Microsoft.Extensions.DependencyInjection", "Microsoft.AspNetCore.Builder"],
        });

        Approver.Verify(api, "Chatterfy.Postbacks.Dashboard");
    }
}
