using Microsoft.Extensions.Options;
using Npgsql;

namespace Chatterfy.Postbacks.PostgreSql.Tests;

public sealed class DataSourceTests
{
    [Fact]
    public async Task DataSource_WithoutTuning_PreparesStatementsAndSkipsTheResetOnReturn()
    {
        await using var owner = new PostgreSqlDataSourceOwner(Options.Create(new PostgreSqlPostbackStoreOptions { ConnectionString = "Host=127.0.0.1;Database=postbacks" }));

        var settings = new NpgsqlConnectionStringBuilder(owner.DataSource.ConnectionString);

        settings.MaxAutoPrepare.Should().Be(PostgreSqlDataSourceOwner.DefaultMaxAutoPrepare);
        settings.NoResetOnClose.Should().BeTrue();
        settings.ApplicationName.Should().Be("Chatterfy.Postbacks");
    }

    [Theory]
    [InlineData("Host=127.0.0.1;Max Auto Prepare=0", 0)]
    [InlineData("Host=127.0.0.1;max auto prepare=5", 5)]
    [InlineData("Host=127.0.0.1;MaxAutoPrepare=7", 7)]
    public async Task DataSource_WithMaxAutoPrepareInTheConnectionString_KeepsIt(string connectionString, int expected)
    {
        await using var owner = new PostgreSqlDataSourceOwner(Options.Create(new PostgreSqlPostbackStoreOptions { ConnectionString = connectionString }));

        new NpgsqlConnectionStringBuilder(owner.DataSource.ConnectionString).MaxAutoPrepare.Should().Be(expected);
    }

    [Fact]
    public async Task DataSource_WithNoResetOnCloseInTheConnectionString_KeepsIt()
    {
        await using var owner = new PostgreSqlDataSourceOwner(Options.Create(new PostgreSqlPostbackStoreOptions { ConnectionString = "Host=127.0.0.1;No Reset On Close=false" }));

        new NpgsqlConnectionStringBuilder(owner.DataSource.ConnectionString).NoResetOnClose.Should().BeFalse();
    }
}
