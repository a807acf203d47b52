using Chatterfy.Postbacks.Tests.Approvals;
using PublicApiGenerator;
using Xunit;

namespace Chatterfy.Postbacks.Testing.Tests.Contracts;

/// <summary>The package's public API as an approved file: a change here is a change users see.</summary>
public sealed class PublicApiTests
{
    [Fact]
    public void The_public_api_matches_the_approved_file()
    {
        var api = typeof(PostbackSimulator).Assembly.GeneratePublicApi(new ApiGeneratorOptions
        {
            ExcludeAttributes = ["System.Runtime.Versioning.TargetFrameworkAttribute", "System.Reflection.AssemblyMetadataAttribute"],
        });

        Approver.Verify(api, "Chatterfy.Postbacks.Testing.PublicApi");
    }
}
