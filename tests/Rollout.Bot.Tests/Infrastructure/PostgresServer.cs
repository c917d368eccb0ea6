using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Rollout.Bot.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL server for the tests: the one named by ROLLOUT_TEST_POSTGRES (a connection string with rights to
/// create databases), or else a throw-away cluster started here with initdb/pg_ctl and stopped on dispose. Every
/// test gets its own fresh database. When PostgreSQL cannot be had, the tests fail saying why: a skipped engine
/// would look like a passing one.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    public const string EnvironmentVariable = "ROLLOUT_TEST_POSTGRES";
    private const string BinFolder = "/usr/lib/postgresql/15/bin";

    private readonly List<string> _databases = [];
    private string? _root;
    private string? _dataFolder;

    /// <summary>Connection string to the maintenance database, used to create and drop test databases.</summary>
    public string AdminConnectionString { get; private set; } = "";

    public bool IsThrowAway => _dataFolder is not null;

    public async Task InitializeAsync()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            AdminConnectionString = fromEnvironment;
        }
        else
        {
            AdminConnectionString = await StartClusterAsync();
        }
        try
        {
            await using var connection = new NpgsqlConnection(AdminConnectionString);
            await connection.OpenAsync();
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or ArgumentException)
        {
            throw new InvalidOperationException(
                $"PostgreSQL tests cannot connect to '{Redact(AdminConnectionString)}': {ex.Message}", ex);
        }
    }

    /// <summary>Creates an empty database for one test and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "rollout_test_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        lock (_databases) _databases.Add(name);
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (IsThrowAway)
        {
            await RunAsync(Tool("pg_ctl"), ["-D", _dataFolder!, "-m", "fast", "-w", "stop"], TimeSpan.FromSeconds(30));
            try { Directory.Delete(_root!, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            return;
        }
        // A shared server outlives the run: leave it as we found it.
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        foreach (var name in _databases)
        {
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    private async Task<string> StartClusterAsync()
    {
        if (!File.Exists(Tool("initdb")))
            throw new InvalidOperationException(
                $"PostgreSQL tests need {Tool("initdb")} (Debian package 'postgresql'; `apt-get install -y postgresql`) " +
                $"or {EnvironmentVariable} set to a connection string of a running server.");

        _root = Path.Combine(Path.GetTempPath(), "rollout-pg-" + Guid.NewGuid().ToString("N")[..12]);
        _dataFolder = Path.Combine(_root, "data");
        var sockets = Path.Combine(_root, "sock");
        Directory.CreateDirectory(sockets);
        if (IsRoot)
        {
            // PostgreSQL refuses to run as root, so the cluster belongs to the postgres OS user.
            await RunAsync("chown", ["-R", "postgres:postgres", _root], TimeSpan.FromSeconds(10), asPostgres: false);
        }

        await RunAsync(Tool("initdb"), ["-D", _dataFolder, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale"],
            TimeSpan.FromSeconds(60));
        var port = FreePort();
        var serverOptions = $"-c listen_addresses=127.0.0.1 -p {port} -k {sockets} -c fsync=off -c max_connections=300";
        await RunAsync(Tool("pg_ctl"),
            ["-D", _dataFolder, "-l", Path.Combine(_root, "server.log"), "-o", serverOptions, "-w", "-t", "60", "start"],
            TimeSpan.FromSeconds(90));

        return new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = port, Username = "postgres", Database = "postgres", Timeout = 15,
        }.ConnectionString;
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static string Tool(string name) => Path.Combine(BinFolder, name);

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private async Task RunAsync(string file, IReadOnlyList<string> args, TimeSpan timeout, bool asPostgres = true)
    {
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (asPostgres && IsRoot)
        {
            start.FileName = "runuser";
            foreach (var a in (string[])["-u", "postgres", "--", file]) start.ArgumentList.Add(a);
        }
        else
        {
            start.FileName = file;
        }
        foreach (var a in args) start.ArgumentList.Add(a);

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"PostgreSQL test server: {Path.GetFileName(file)} did not finish within {timeout}.");
        }
        if (process.ExitCode != 0)
        {
            var log = _root is not null && File.Exists(Path.Combine(_root, "server.log"))
                ? await File.ReadAllTextAsync(Path.Combine(_root, "server.log")) : "";
            throw new InvalidOperationException(
                $"PostgreSQL test server: `{Path.GetFileName(file)} {string.Join(' ', args)}` exited {process.ExitCode}.\n" +
                $"{await output}\n{await error}\n{log}".Trim());
        }
    }

    private static string Redact(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.Password is not null) builder.Password = "***";
        return builder.ConnectionString;
    }
}

/// <summary>Tests that need PostgreSQL share one server; its databases are per test.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";
}
