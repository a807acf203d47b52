using Chatterfy.Postbacks.Tests.Approvals;
using PublicApiGenerator;

namespace Chatterfy.Postbacks.PostgreSql.Tests.PublicApi;

public sealed class PublicApiTests
{
    // A change to this file is a change to what users compile against: review it like a release note.
    [Fact]
    public void PublicApi_ChatterfyPostbacksPostgreSql_MatchesApprovedFile()
    {
        var api = typeof(PostgreSqlPostbackStore).Assembly.GeneratePublicApi(new ApiGeneratorOptions
        {
            // The builder extensions live in Microsoft.Extensions.DependencyInjection, which the generator skips by default.
            AllowNamespacePrefixes = ["Microsoft.Extensions.DependencyInjection"],
            ExcludeAttributes = ["System.Runtime.Versioning.TargetFrameworkAttribute", "System.Reflection.AssemblyMetadataAttribute"],
        });

        Approver.Verify(api, "Chatterfy.Postbacks.PostgreSql");
    }
}
