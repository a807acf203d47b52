using Chatterfy.Postbacks.Tests.Approvals;
using PublicApiGenerator;
using Xunit;

namespace Chatterfy.Postbacks.Storage.Conformance.Tests.Contracts;

/// <summary>The package's public API as an approved file: a change here is a change store authors see.</summary>
public sealed class PublicApiTests
{
    [Fact]
    public void The_public_api_matches_the_approved_file()
    {
        var api = typeof(PostbackStorageConformanceTests).Assembly.GeneratePublicApi(new ApiGeneratorOptions
        {
            ExcludeAttributes = ["System.Runtime.Versioning.TargetFrameworkAttribute", "System.Reflection.AssemblyMetadataAttribute"],
        });

        Approver.Verify(api, "Chatterfy.Postbacks.Storage.Conformance.PublicApi");
    }
}
