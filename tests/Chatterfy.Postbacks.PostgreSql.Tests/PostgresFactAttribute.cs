namespace Chatterfy.Postbacks.PostgreSql.Tests;

/// <summary>
/// A fact that needs a PostgreSQL server: skipped, with the reason shown, unless <c>POSTBACKS_TEST_POSTGRES</c> holds a
/// connection string. CI (<c>.ci/run</c>) starts a server and sets it, and fails when any test was skipped.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresTestDatabase.ConnectionString is null)
        {
            Skip = PostgresTestDatabase.SkipReason;
        }
    }
}

/// <summary>A theory that needs a PostgreSQL server; see <see cref="PostgresFactAttribute"/>.</summary>
public sealed class PostgresTheoryAttribute : TheoryAttribute
{
    public PostgresTheoryAttribute()
    {
        if (PostgresTestDatabase.ConnectionString is null)
        {
            Skip = PostgresTestDatabase.SkipReason;
        }
    }
}
