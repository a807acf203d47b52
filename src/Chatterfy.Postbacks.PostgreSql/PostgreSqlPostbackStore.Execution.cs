using System.Buffers.Binary;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Chatterfy.Postbacks.Storage;
using Npgsql;

namespace Chatterfy.Postbacks.PostgreSql;

// Connections, commands, and mapping database errors to the store contract.
public sealed partial class PostgreSqlPostbackStore
{
    internal async ValueTask<T> RunAsync<T>(
        Func<NpgsqlConnection, CancellationToken, ValueTask<T>> operation,
        CancellationToken cancellationToken,
        [CallerMemberName] string operationName = "",
        [CallerFilePath] string callerFile = "")
    {
        try
        {
            var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                return await operation(connection, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new InvalidOperationException(UniqueViolationMessage(ex), ex);
        }
        catch (Exception ex) when (IsUnavailable(ex, cancellationToken))
        {
            if (_unavailable.ShouldLog(out var failures))
            {
                PostgreSqlLog.Unavailable(_logger, OperationName(callerFile, operationName), failures, ex);
            }

            throw new PostbackStoreUnavailableException("The PostgreSQL postback store is unavailable: " + ex.Message, ex);
        }
    }

    internal async ValueTask<T?> QuerySingleAsync<T>(string sql, Func<NpgsqlDataReader, T> read, NpgsqlParameter[] parameters, CancellationToken cancellationToken, [CallerMemberName] string operationName = "", [CallerFilePath] string callerFile = "")
        where T : class
    {
        return await RunAsync(
            async (connection, ct) =>
            {
                var command = NewCommand(connection, null, sql, parameters);
                await using (command.ConfigureAwait(false))
                {
                    var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        return await reader.ReadAsync(ct).ConfigureAwait(false) ? read(reader) : null;
                    }
                }
            },
            cancellationToken,
            operationName,
            callerFile).ConfigureAwait(false);
    }

    internal async ValueTask<IReadOnlyList<T>> QueryListAsync<T>(string sql, Func<NpgsqlDataReader, T> read, NpgsqlParameter[] parameters, CancellationToken cancellationToken, [CallerMemberName] string operationName = "", [CallerFilePath] string callerFile = "")
    {
        return await RunAsync(
            async (connection, ct) =>
            {
                var command = NewCommand(connection, null, sql, parameters);
                await using (command.ConfigureAwait(false))
                {
                    var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        var rows = new List<T>();
                        while (await reader.ReadAsync(ct).ConfigureAwait(false))
                        {
                            rows.Add(read(reader));
                        }

                        return (IReadOnlyList<T>)rows.AsReadOnly();
                    }
                }
            },
            cancellationToken,
            operationName,
            callerFile).ConfigureAwait(false);
    }

    internal async ValueTask<int> NonQueryAsync(string sql, NpgsqlParameter[] parameters, CancellationToken cancellationToken, [CallerMemberName] string operationName = "", [CallerFilePath] string callerFile = "")
    {
        return await RunAsync(
            async (connection, ct) =>
            {
                var command = NewCommand(connection, null, sql, parameters);
                await using (command.ConfigureAwait(false))
                {
                    return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }
            },
            cancellationToken,
            operationName,
            callerFile).ConfigureAwait(false);
    }

    /// <summary>Names an operation in the log: the role and member, e.g. <c>IngestStore.AppendCoreAsync</c>.</summary>
    private static string OperationName(string callerFile, string member)
    {
        var file = Path.GetFileNameWithoutExtension(callerFile.Replace('\\', '/'));
        var role = file.StartsWith("PostgreSql", StringComparison.Ordinal) ? file["PostgreSql".Length..] : file;
        return role.Length == 0 || role.StartsWith("PostbackStore", StringComparison.Ordinal) ? member : role + "." + member;
    }

    internal async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        var command = NewCommand(connection, transaction, sql, parameters);
        await using (command.ConfigureAwait(false))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    internal async Task<object?> ScalarAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        var command = NewCommand(connection, transaction, sql, parameters);
        await using (command.ConfigureAwait(false))
        {
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<int> ReadVersionAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        var version = (int)(await ScalarAsync(connection, transaction, $"SELECT COALESCE(max(version), 0) FROM {_s}.schema_version", cancellationToken).ConfigureAwait(false))!;
        if (version > PostgreSqlSchema.CurrentVersion)
        {
            throw new InvalidOperationException(
                $"The PostgreSQL postback store schema {_s} is at version {version}, newer than the version {PostgreSqlSchema.CurrentVersion} this version of the store knows. Upgrade Chatterfy.Postbacks.PostgreSql.");
        }

        return version;
    }

    internal NpgsqlCommand NewCommand(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, NpgsqlParameter[] parameters)
    {
#pragma warning disable CA2100 // The SQL is built from constants and the validated, quoted schema name; values are parameters.
        var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = _commandTimeoutSeconds };
#pragma warning restore CA2100
        command.Parameters.AddRange(parameters);
        return command;
    }

    internal NpgsqlBatch NewBatch(NpgsqlConnection connection, NpgsqlTransaction? transaction) =>
        new(connection, transaction) { Timeout = _commandTimeoutSeconds };

    internal static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    internal string Render(string sql) => PostgreSqlSchema.Render(sql, _s);

    internal static string Placeholders(int first, int count) =>
        string.Join(", ", Enumerable.Range(first, count).Select(i => "$" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>A stable 64-bit advisory lock id, private to this schema, so two stores in one database never share locks.</summary>
    internal long LockKey(string purpose, string value) => LockKey(_schemaName, purpose, value);

    /// <summary>
    /// The advisory lock id of <paramref name="value"/> for <paramref name="purpose"/> in <paramref name="schema"/>: the
    /// first 8 bytes (little-endian) of the SHA-256 of <c>Chatterfy.Postbacks.PostgreSql\n{schema}\n{purpose}\n{value}</c>.
    /// </summary>
    internal static long LockKey(string schema, string purpose, string value) =>
        LockKey(Encoding.UTF8.GetBytes("Chatterfy.Postbacks.PostgreSql\n" + schema + "\n" + purpose + "\n"), value);

    /// <summary>The advisory lock id of <paramref name="value"/> after a prefix made as in <see cref="LockKey(string, string, string)"/>; allocates nothing for values up to 1 KiB.</summary>
    internal static long LockKey(ReadOnlySpan<byte> prefix, string value)
    {
        const int StackLimit = 1024;
        var length = prefix.Length + Encoding.UTF8.GetByteCount(value);
        byte[]? rented = null;
        var text = length <= StackLimit ? stackalloc byte[StackLimit] : (rented = System.Buffers.ArrayPool<byte>.Shared.Rent(length));
        prefix.CopyTo(text);
        Encoding.UTF8.GetBytes(value, text[prefix.Length..]);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(text[..length], hash);
        if (rented is not null)
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }

        return BinaryPrimitives.ReadInt64LittleEndian(hash);
    }

    internal static bool IsUnavailable(Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case NpgsqlException { IsTransient: true }:
                // A read-only server (a standby after a fail-over, default_transaction_read_only on) takes no write now;
                // the network retries, as the health check reports.
                case PostgresException pg when pg.SqlState.StartsWith("08", StringComparison.Ordinal)
                    || pg.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
                        or PostgresErrorCodes.ReadOnlySqlTransaction:
                case SocketException:
                case IOException:
                case TimeoutException:
                // The data source was disposed: the host is shutting down.
                case ObjectDisposedException:
                    return true;
                default:
                    break;
            }
        }

        return false;
    }

    internal static string UniqueViolationMessage(PostgresException exception) => exception.ConstraintName switch
    {
        "postback_sets_pkey" => "A postback set with that id exists or existed.",
        "postback_set_tokens_pkey" => "The token is or was used by a postback set.",
        "clicks_pkey" => "A click with that id exists.",
        "subject_bindings_pkey" => "The subject is bound to a click in that campaign.",
        "conversions_pkey" => "A conversion with that id exists.",
        "postback_log_pkey" => "A postback log entry with that id exists.",
        "forwarding_rules_pkey" => "A forwarding rule with that id exists.",
        "campaigns_pkey" => "A campaign with that id exists.",
        "outbox_messages_pkey" => "An outbox message with that id exists.",
        "outbox_attempts_pkey" => "An outbox attempt with that message id and number exists.",
        "reconciliations_pkey" => "A reconciliation with that id exists.",
        _ => "A unique value is already stored: " + exception.MessageText,
    };
}
