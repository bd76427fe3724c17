using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Options;
using Screening.Web.Admin;
using Screening.Web.Definitions;
using Screening.Web.Identity;
using Screening.Web.Persistence;
using Screening.Web.Workflows;
using Screening.Workflows.Calendars;

namespace Screening.Web.Hosting;

/// <summary>
/// Start-up: migrations, SQLite settings, roles and demo users, default calendars, the shipped workflows
/// (imported when new or changed) and the in-memory caches. Every step is idempotent: a restart adds nothing twice.
/// </summary>
public sealed class Seeder(
    ScreeningDbContext db,
    UserManager<ScreeningUser> users,
    IUserStore<ScreeningUser> userStore,
    RoleManager<IdentityRole> roles,
    CalendarCache calendars,
    SimulatedTimeProvider simulated,
    IOptions<ScreeningOptions> options,
    ContentPaths paths,
    TimeProvider time,
    ILogger<Seeder> logger)
{
    public const int FirstDefaultYear = 2020;
    public const int LastDefaultYear = 2045;

    /// <summary>The key of the PostgreSQL advisory lock a starting node holds while it migrates and seeds.</summary>
    private const long StartUpLock = 0x5C12EE17;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (db.Database.IsSqlite())
        {
            await PrepareAsync(cancellationToken);
            return;
        }

        // Nodes starting together on one PostgreSQL database migrate and seed one after the other: the first
        // does the work, the others find it done (seeding checks before it adds). The lock is taken in the
        // database, so it must exist first: the first node creates it when the role may (an operator who made it
        // beforehand loses nothing), and a node that loses the race to create it finds it made.
        var creator = db.GetService<Microsoft.EntityFrameworkCore.Storage.IRelationalDatabaseCreator>();
        if (!await creator.ExistsAsync(cancellationToken))
        {
            try
            {
                await creator.CreateAsync(cancellationToken);
            }
            catch (Npgsql.PostgresException ex) when (ex.SqlState is Npgsql.PostgresErrorCodes.DuplicateDatabase or Npgsql.PostgresErrorCodes.UniqueViolation)
            {
                logger.LogInformation("Another node created the database first.");
            }
        }

        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_lock({StartUpLock})", cancellationToken);
            await PrepareAsync(cancellationToken);
        }
        finally
        {
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_unlock({StartUpLock})", CancellationToken.None);
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task PrepareAsync(CancellationToken cancellationToken)
    {
        // Before the first release every migration was folded into one Initial (decision 0022): a database made
        // before that has migrations this build does not know, and is said to be so rather than half-migrated.
        var known = db.Database.GetMigrations().ToHashSet(StringComparer.Ordinal);
        var migrated = await db.GetService<Microsoft.EntityFrameworkCore.Migrations.IHistoryRepository>().ExistsAsync(cancellationToken);
        if (migrated && (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).FirstOrDefault(m => !known.Contains(m)) is { } unknown)
        {
            throw new InvalidOperationException($"The database was made by an earlier development build (migration '{unknown}'); move its data directory away to start afresh (decision 0022).");
        }

        if (db.Database.IsSqlite())
        {
            // WAL persists in the file; synchronous=FULL is set on every connection by an interceptor.
            await db.Database.OpenConnectionAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            await db.Database.MigrateAsync(cancellationToken);
            await db.Database.CloseConnectionAsync();
        }
        else
        {
            // Its own migrations (Persistence/PostgreSqlMigrations), under the start-up lock.
            await db.Database.MigrateAsync(cancellationToken);
        }

        await SeedRolesAsync();
        if (options.Value.Seed.DemoUsers)
        {
            await SeedUsersAsync();
        }

        await SeedCalendarsAsync(cancellationToken);
        await ImportWorkflowsAsync(cancellationToken);
        await calendars.ReloadAsync(db, cancellationToken);
        if (options.Value.Clock.Simulated)
        {
            if (await db.SimulatedClock.AsNoTracking().FirstOrDefaultAsync(c => c.Id == 1, cancellationToken) is { } clock)
            {
                simulated.SetOffset(TimeSpan.FromTicks(clock.OffsetTicks));
            }
            else
            {
                // Made once here (under the start-up lock on PostgreSQL), so moving time only ever updates it.
                db.SimulatedClock.Add(new SimulatedClockRecord { Id = 1, OffsetTicks = 0 });
                await db.SaveChangesAsync(cancellationToken);
            }
        }
    }

    private async Task SeedRolesAsync()
    {
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }
    }

    private sealed record SeedUser(string Email, string Password, string[] Roles, string? Jurisdiction, string? Name, string? TotpSecret);

    private async Task SeedUsersAsync()
    {
        var file = Path.Combine(paths.Seed, "users.json");
        var seeds = JsonSerializer.Deserialize<List<SeedUser>>(await File.ReadAllTextAsync(file), new JsonSerializerOptions(JsonSerializerDefaults.Web)) ?? [];
        foreach (var seed in seeds)
        {
            if (await users.FindByEmailAsync(seed.Email) is { } existing)
            {
                // A demo database made before two-factor sign-in: its seeded officials get their seeded authenticator
                // once. One that already has a key of its own (enrolled, or reset by an administrator) keeps it.
                if (seed.TotpSecret is not null && string.IsNullOrEmpty(await users.GetAuthenticatorKeyAsync(existing)))
                {
                    await EnrolAsync(existing, seed.TotpSecret);
                }

                continue;
            }

            var user = new ScreeningUser { UserName = seed.Email, Email = seed.Email, EmailConfirmed = true, Jurisdiction = seed.Jurisdiction, DisplayName = seed.Name };
            var created = await users.CreateAsync(user, seed.Password);
            if (!created.Succeeded)
            {
                throw new InvalidOperationException($"Seed user {seed.Email}: {string.Join("; ", created.Errors.Select(e => e.Description))}");
            }

            await users.AddToRolesAsync(user, seed.Roles);
            if (seed.TotpSecret is not null)
            {
                await EnrolAsync(user, seed.TotpSecret);
            }

            logger.LogInformation("Seeded user {Email} ({Roles} {Jurisdiction})", seed.Email, string.Join(",", seed.Roles), seed.Jurisdiction);
        }
    }

    /// <summary>Enrols a demo account with the authenticator secret of seed/users.json, so scripts can compute its codes.</summary>
    private async Task EnrolAsync(ScreeningUser user, string secret)
    {
        if (userStore is not IUserAuthenticatorKeyStore<ScreeningUser> keys)
        {
            throw new InvalidOperationException("The user store keeps no authenticator keys.");
        }

        // Identity keeps the key as unpadded upper-case base32, as it makes its own.
        await keys.SetAuthenticatorKeyAsync(user, secret.Replace(" ", "", StringComparison.Ordinal).TrimEnd('=').ToUpperInvariant(), CancellationToken.None);
        var enabled = await users.SetTwoFactorEnabledAsync(user, true);
        if (!enabled.Succeeded)
        {
            throw new InvalidOperationException($"Seed user {user.Email}: {string.Join("; ", enabled.Errors.Select(e => e.Description))}");
        }
    }

    private async Task SeedCalendarsAsync(CancellationToken cancellationToken)
    {
        foreach (var code in HolidayDefaults.Codes)
        {
            var calendar = HolidayDefaults.CalendarFor(code, FirstDefaultYear, LastDefaultYear)!;
            var existing = await db.Calendars.Include(c => c.Holidays).FirstOrDefaultAsync(c => c.Code == code, cancellationToken);
            // A calendar seeded before holidays had names and legal kinds gets the named defaults once.
            if (existing is not null && (existing.LegalWeekdays is not null || existing.Holidays.Any(h => h.Name.Length > 0)))
            {
                continue;
            }

            if (existing is not null)
            {
                db.Calendars.Remove(existing);
                await db.SaveChangesAsync(cancellationToken);
            }

            var record = new CalendarRecord
            {
                Code = code,
                Name = calendar.Name,
                Weekend = string.Join(',', calendar.Weekend.Select(d => (int)d)),
                LegalWeekdays = string.Join(',', calendar.LegalWeekdays.Select(d => (int)d)),
                TimeZone = calendar.TimeZoneId,
            };
            record.Holidays.AddRange(calendar.Named.Select(h => new HolidayRecord { CalendarCode = code, Date = h.Date, Name = h.Name, Source = h.Source, Kind = (int)h.Kind }));
            db.Calendars.Add(record);
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task ImportWorkflowsAsync(CancellationToken cancellationToken)
    {
        foreach (var file in Directory.EnumerateFiles(paths.Workflows, "*.json").Where(f => !f.EndsWith(".schema.json", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var json = await File.ReadAllTextAsync(file, cancellationToken);
            var node = System.Text.Json.Nodes.JsonNode.Parse(json)?.AsObject()
                ?? throw new InvalidOperationException($"Shipped workflow {Path.GetFileName(file)} is not a JSON object.");
            node.Remove("version");
            node.Remove("$schema");
            var stored = node.ToJsonString(DefinitionJson.Indented);
            var hash = DefinitionJson.Hash(stored);
            var key = node["key"]?.GetValue<string>();
            var versions = key is null ? [] : await db.Definitions.Where(d => d.Key == key).ToListAsync(cancellationToken);

            // Unchanged since the last start: nothing to import, and nothing to compile before serving.
            if (versions.Any(v => v.IsPublished && v.ContentHash == hash))
            {
                continue;
            }

            var compiled = DefinitionCatalog.Compile(json, out var problems);
            if (compiled is null || problems.Count > 0)
            {
                throw new InvalidOperationException($"Shipped workflow {Path.GetFileName(file)} is invalid: {string.Join("; ", problems.Select(p => $"{p.Path}: {p.Message}"))}");
            }

            var now = time.GetUtcNow().UtcDateTime;
            var version = versions.Count == 0 ? 1 : versions.Max(v => v.Version) + 1;
            // An administrator's unpublished draft keeps its number; the shipped file is published after it.
            db.Definitions.Add(new DefinitionRecord
            {
                Key = compiled.Definition.Key,
                Version = version,
                Name = compiled.Definition.Name,
                Json = stored,
                ContentHash = hash,
                IsPublished = true,
                CreatedAt = now,
                UpdatedAt = now,
                PublishedAt = now,
                PublishedBy = "import",
            });
            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("Imported workflow {Key} as version {Version} from {File}", compiled.Definition.Key, version, Path.GetFileName(file));
        }
    }
}

/// <summary>Where the shipped seed/ and workflows/ folders are.</summary>
public sealed class ContentPaths
{
    public ContentPaths(IOptions<ScreeningOptions> options)
    {
        var root = options.Value.Seed.ContentDirectory ?? Locate();
        Seed = Path.Combine(root, "seed");
        Workflows = Path.Combine(root, "workflows");
    }

    public string Seed { get; }

    public string Workflows { get; }

    // Next to the binaries (copied at build), or the repository when run from a checkout.
    private static string Locate()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (Directory.Exists(Path.Combine(dir.FullName, "workflows")) && Directory.Exists(Path.Combine(dir.FullName, "seed")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new DirectoryNotFoundException("The seed/ and workflows/ folders were not found; set Screening:Seed:ContentDirectory.");
    }
}
