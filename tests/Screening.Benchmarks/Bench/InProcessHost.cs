using System.Data.Common;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Screening.Web.Hosting;
using Screening.Web.Identity;
using Screening.Web.Persistence;

namespace Screening.Benchmarks.Bench;

/// <summary>The host's services in this process, on a SQLite file with the production settings (WAL, synchronous=FULL).</summary>
public sealed class InProcessHost : IAsyncDisposable
{
    private InProcessHost(WebApplication app, CommitCounter commits, CommandCounter statements)
    {
        App = app;
        Commits = commits;
        Statements = statements;
    }

    public WebApplication App { get; }

    public CommitCounter Commits { get; }

    /// <summary>SQL commands EF Core has sent (queries, and each SaveChanges batch), for the commands a case costs.</summary>
    public CommandCounter Statements { get; }

    /// <param name="start">
    /// Start it as a deployed host starts: its hosted services run, the job server among them, so the jobs the
    /// commands queue (letters, e-mail, notifications, timers) run beside them and are part of what is measured.
    /// False leaves that to the caller (the timer benchmark starts it once its rows are in place).
    /// </param>
    public static async Task<InProcessHost> StartAsync(string dataDirectory, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null, bool start = true)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Screening:DataDirectory"] = dataDirectory,
            ["Screening:Clock:Simulated"] = "true",
            ["Screening:Jobs:Storage"] = "InMemory",
            ["Screening:Jobs:RunServer"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
            // BENCH_SQL=1 logs every SQL command with its duration, to see where a command's time goes.
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = Environment.GetEnvironmentVariable("BENCH_SQL") == "1" ? "Information" : "Warning",
            // BENCH_QUERIES=1 logs every LINQ query EF Core compiles: one compiled again and again is CPU lost to the JIT.
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Query"] = Environment.GetEnvironmentVariable("BENCH_QUERIES") == "1" ? "Debug" : "Warning",
            ["Urls"] = "http://127.0.0.1:0",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddScreening();
        services?.Invoke(builder.Services);
        var commits = new CommitCounter();
        var statements = new CommandCounter();
        builder.Services.ConfigureDbContext<ScreeningDbContext>(o => o.AddInterceptors(commits, statements));
        var app = builder.Build();
        await app.PrepareScreeningAsync();
        if (start)
        {
            await app.StartAsync();
        }

        return new InProcessHost(app, commits, statements);
    }

    public async Task<T> SendAsync<T>(ICommand<T> command)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(command);
    }

    public async Task<T> SendAsync<T>(IQuery<T> query)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(query);
    }

    /// <summary>
    /// Outbox rows not yet delivered and e-mail not yet sent, once there are none or <paramref name="patience"/> is
    /// over (then the count left); polled every 20 ms.
    /// </summary>
    public async Task<int> UndeliveredAsync(TimeSpan patience)
    {
        var until = System.Diagnostics.Stopwatch.GetTimestamp() + (long)(patience.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        while (true)
        {
            int left;
            await using (var scope = App.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<ScreeningDbContext>();
                left = await db.Outbox.CountAsync(m => m.DeliveredAt == null) + await db.Mail.CountAsync(m => m.SentAt == null);
            }

            if (left == 0 || System.Diagnostics.Stopwatch.GetTimestamp() >= until)
            {
                return left;
            }

            await Task.Delay(20);
        }
    }

    public async Task<CurrentUser> UserAsync(string email)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ScreeningDbContext>();
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Email == email);
        var roles = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ur.UserId == user.Id select r.Name!).ToListAsync();
        return new CurrentUser(user.Id, roles.ToHashSet(), user.Jurisdiction);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }

    /// <summary>Counts the commands EF Core sends to the database: each query, and each batch a SaveChanges writes.</summary>
    public sealed class CommandCounter : DbCommandInterceptor
    {
        private long _count;

        public long Count => Interlocked.Read(ref _count);

        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result) =>
            Counted(result);

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Counted(result));

        public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result) =>
            Counted(result);

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Counted(result));

        public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result) =>
            Counted(result);

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Counted(result));

        private T Counted<T>(T result)
        {
            Interlocked.Increment(ref _count);
            return result;
        }
    }

    /// <summary>
    /// Counts committed transactions (what an fsync costs) and times them: from BEGIN to the end of COMMIT is
    /// the stretch during which SQLite's one writer is taken, so its mean bounds the commits a second.
    /// </summary>
    public sealed class CommitCounter : DbTransactionInterceptor
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<DbTransaction, long> _open = new();
        private long _count;
        private long _heldTicks;
        private long _commitTicks;

        public long Count => Interlocked.Read(ref _count);

        /// <summary>The totals so far; two of them give the means of what happened between.</summary>
        public Totals Now => new(Count, Interlocked.Read(ref _heldTicks), Interlocked.Read(ref _commitTicks));

        public override DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
        {
            _open[result] = System.Diagnostics.Stopwatch.GetTimestamp();
            return result;
        }

        public override ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(TransactionStarted(connection, eventData, result));

        public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData)
        {
            Interlocked.Increment(ref _count);
            Interlocked.Add(ref _commitTicks, eventData.Duration.Ticks);
            if (_open.TryRemove(transaction, out var started))
            {
                Interlocked.Add(ref _heldTicks, System.Diagnostics.Stopwatch.GetTimestamp() - started);
            }
        }

        public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            TransactionCommitted(transaction, eventData);
            return Task.CompletedTask;
        }

        public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => _open.TryRemove(transaction, out _);

        public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            TransactionRolledBack(transaction, eventData);
            return Task.CompletedTask;
        }

        /// <param name="HeldTimestamps">Stopwatch timestamps from BEGIN to the end of COMMIT, summed.</param>
        /// <param name="CommitTicks">Time spent in COMMIT, summed.</param>
        public readonly record struct Totals(long Count, long HeldTimestamps, long CommitTicks)
        {
            /// <summary>Mean milliseconds a write transaction was open since <paramref name="before"/>, and of those the COMMIT alone.</summary>
            public (double Held, double Commit) MeanMillisecondsSince(Totals before)
            {
                var count = Math.Max(1, Count - before.Count);
                return ((HeldTimestamps - before.HeldTimestamps) * 1000.0 / System.Diagnostics.Stopwatch.Frequency / count,
                    TimeSpan.FromTicks((CommitTicks - before.CommitTicks) / count).TotalMilliseconds);
            }
        }
    }
}
