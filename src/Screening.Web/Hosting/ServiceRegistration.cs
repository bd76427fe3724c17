using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.Storage.SQLite;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using Screening.Web.Admin;
using Screening.Web.Audit;
using Screening.Web.Cases;
using Screening.Web.Documents;
using Screening.Web.Identity;
using Screening.Web.Jobs;
using Screening.Web.Persistence;
using Screening.Web.Reviews;
using Screening.Web.Workflows;

namespace Screening.Web.Hosting;

public static class ServiceRegistration
{
    public const long MaxBodyBytes = 1024 * 1024;

    // The scheme AddIdentityApiEndpoints makes the default (bearer token, else cookie); its name is internal to Identity.
    private const string CombinedScheme = "Identity.BearerAndApplication";

    public static WebApplicationBuilder AddScreening(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddOptions<ScreeningOptions>().BindConfiguration(ScreeningOptions.Section);
        services.AddOptions<Mail.MailOptions>().BindConfiguration(Mail.MailOptions.Section);
        var options = configuration.GetSection(ScreeningOptions.Section).Get<ScreeningOptions>() ?? new ScreeningOptions();

        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = MaxBodyBytes);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            ProblemVocabulary.Apply(context.ProblemDetails);
            // Responses the framework ends early (a body too large, no route) still say what happened.
            context.ProblemDetails.Detail ??= context.ProblemDetails.Status switch
            {
                StatusCodes.Status413PayloadTooLarge => "Bodies are limited to 1 MB.",
                StatusCodes.Status401Unauthorized => "Sign in first: send a bearer token from POST /api/auth/login.",
                StatusCodes.Status403Forbidden => "Your role does not allow this.",
                StatusCodes.Status404NotFound => "There is nothing here.",
                StatusCodes.Status405MethodNotAllowed => "This address does not accept that method.",
                StatusCodes.Status415UnsupportedMediaType => "Send the body as application/json.",
                _ => null,
            };
        });
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.MaxDepth = 32;
            o.SerializerOptions.AllowDuplicateProperties = false;
            o.SerializerOptions.Converters.Add(new UtcInstantConverter());
        });

        services.AddSingleton<SimulatedTimeProvider>(_ => new SimulatedTimeProvider(TimeProvider.System));
        services.AddSingleton<TimeProvider>(sp => options.Clock.Simulated ? sp.GetRequiredService<SimulatedTimeProvider>() : TimeProvider.System);

        services.AddSingleton<SimulatedClockSync>();
        AddPersistence(services, configuration, options);
        // Bearer tokens and cookies are protected with these keys: kept with the data so a restart keeps sessions,
        // and on PostgreSQL in the database, so every node of a deployment reads a token any node issued.
        var protection = services.AddDataProtection().SetApplicationName("Screening");
        if (options.Database.IsPostgreSql)
        {
            protection.PersistKeysToDbContext<ScreeningDbContext>();
        }
        else
        {
            protection.PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(Path.GetFullPath(options.DataDirectory), "keys")));
        }
        AddIdentity(services, options);

        services.AddMediator((Mediator.MediatorOptions o) => o.ServiceLifetime = ServiceLifetime.Scoped);
        services.AddScoped(typeof(Mediator.IPipelineBehavior<,>), typeof(LoggingBehavior<,>));

        services.AddSingleton<ContentPaths>();
        services.AddSingleton(sp => ReferenceData.Load(sp.GetRequiredService<ContentPaths>().Seed));
        services.AddSingleton<PublishedReferenceData>();
        services.AddSingleton<DefinitionCatalog>();
        services.AddSingleton<CalendarCache>();
        services.AddScoped<AuditTrail>();
        services.AddSingleton<IContentStore, FileSystemContentStore>();
        services.AddScoped<JobDispatcher>();
        services.AddSingleton<TimerSlots>();
        services.AddSingleton(_ => new StampedCache<(Guid, string), KeptCaseView>(GetCaseHandler.Kept));
        // On SQLite this process is the only writer, so it knows the stamps of its own commits (decision 0010).
        services.AddSingleton(_ => new ChangeStamps(enabled: !options.Database.IsPostgreSql));
        services.AddSingleton(_ => new StampedCache<TaskQueueKey, KeptQueue>(ListTasksHandler.Kept));
        services.AddScoped<UnitOfWork>();
        services.AddSingleton<GroupCommit>();
        services.AddSingleton<Jobs.OutboxDeliverer>();
        services.AddHostedService(sp => sp.GetRequiredService<Jobs.OutboxDeliverer>());
        services.AddScoped<CaseCommands>();
        services.AddScoped<CaseProjection>();
        // Checked against the version read with each command's case, so sound on several nodes too (decision 0026).
        services.AddSingleton(_ => new KeptInstances());
        services.AddScoped<Seeder>();

        AddJobs(services, configuration, options);

        services.AddRazorComponents().AddInteractiveServerComponents()
            .AddHubOptions(o => o.MaximumReceiveMessageSize = MaxBodyBytes);
        services.AddCascadingAuthenticationState();
        services.AddSingleton<Components.Shared.ScopedMediator>();
        services.AddMudServices();
        services.AddLocalization(o => o.ResourcesPath = "Resources");
        // Antiforgery refuses to run on plain HTTP with an always-secure cookie; behind TLS its cookie is secure.
        services.AddAntiforgery(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        services.Configure<RequestLocalizationOptions>(o =>
        {
            string[] cultures = ["en", "fr", "es"];
            o.SetDefaultCulture("en").AddSupportedCultures(cultures).AddSupportedUICultures(cultures);
        });

        services.AddScreeningRateLimits(options.RateLimits);
        services.AddSingleton<LoginThrottle>();

        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database")
            .AddCheck<JobServerHealthCheck>("jobs");
        services.AddOpenApi(OpenApiContract.Configure);
        return builder;
    }

    private static void AddPersistence(IServiceCollection services, IConfiguration configuration, ScreeningOptions options)
    {
        if (options.Database.IsPostgreSql)
        {
            var connection = configuration.GetConnectionString("Screening")
                ?? throw new InvalidOperationException("Screening:Database:Provider is PostgreSql but ConnectionStrings:Screening is not set.");
            services.AddDbContextPool<ScreeningDbContext, PostgreSqlScreeningDbContext>(o => o.UseNpgsql(connection));
            return;
        }

        var directory = Path.GetFullPath(options.DataDirectory);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "screening.db");
        services.AddSingleton<SqliteConnectionSettings>();
        // Pooled: a command or query scope reuses a context instead of building one.
        services.AddDbContextPool<ScreeningDbContext>((sp, o) => o
            .UseSqlite($"Data Source={path};Default Timeout=30")
            .AddInterceptors(sp.GetRequiredService<SqliteConnectionSettings>()));
    }

    private static void AddIdentity(IServiceCollection services, ScreeningOptions options)
    {
        services.AddIdentityApiEndpoints<ScreeningUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 10;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<ScreeningDbContext>()
            .AddClaimsPrincipalFactory<ScreeningClaimsFactory>();

        // Sign-in lifetimes run on real time, even when case time is simulated.
        services.Configure<BearerTokenOptions>(IdentityConstants.BearerScheme, o =>
        {
            o.BearerTokenExpiration = options.AccessTokenLifetime;
            o.TimeProvider = TimeProvider.System;
        });
        // After Identity has set up the token format: keep what recent tokens decrypted to.
        services.PostConfigure<BearerTokenOptions>(IdentityConstants.BearerScheme, o =>
            o.BearerTokenProtector = new KeptBearerTickets(o.BearerTokenProtector, TimeProvider.System));
        services.Configure<SecurityStampValidatorOptions>(o => o.TimeProvider = TimeProvider.System);
        // So do the cookies between the password and the second factor.
        services.Configure<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>(IdentityConstants.TwoFactorUserIdScheme, o => o.TimeProvider = TimeProvider.System);
        services.Configure<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>(IdentityConstants.TwoFactorRememberMeScheme, o => o.TimeProvider = TimeProvider.System);
        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.TimeProvider = TimeProvider.System;
            cookie.Cookie.HttpOnly = true;
            // Browsers treat localhost as secure, so Secure cookies work on the default http://localhost too.
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.LoginPath = "/account/login";
            cookie.AccessDeniedPath = "/account/denied";
            // The API answers 401/403; only pages redirect to the sign-in page.
            cookie.Events.OnRedirectToLogin = context => Redirect(context, StatusCodes.Status401Unauthorized);
            cookie.Events.OnRedirectToAccessDenied = context => Redirect(context, StatusCodes.Status403Forbidden);
        });
        // The combined scheme answers challenges as a bearer API would (401/403); pages redirect instead.
        services.Configure<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions>(CombinedScheme, o =>
            o.ForwardDefaultSelector = context => context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/jobs")
                ? null
                : IdentityConstants.ApplicationScheme);
        services.AddAuthorizationBuilder().AddScreeningPolicies();
    }

    private static Task Redirect(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/jobs"))
        {
            context.Response.StatusCode = status;
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }

        return Task.CompletedTask;
    }

    private static void AddJobs(IServiceCollection services, IConfiguration configuration, ScreeningOptions options)
    {
        var jobs = options.Jobs;
        services.AddTransient<TimerJobs>();
        services.AddTransient<NotificationJobs>();
        services.AddTransient<Mail.MailJobs>();
        services.AddHangfire((sp, config) =>
        {
            config.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
            switch (jobs.Storage.ToLowerInvariant())
            {
                case "inmemory":
                    config.UseInMemoryStorage();
                    break;
                case "postgresql":
                    config.UsePostgreSqlStorage(o => o.UseNpgsqlConnection(configuration.GetConnectionString("Screening")), new PostgreSqlStorageOptions
                    {
                        QueuePollInterval = jobs.PollInterval,
                        InvisibilityTimeout = jobs.InvisibilityTimeout,
                        DistributedLockTimeout = TimeSpan.FromSeconds(30),
                    });
                    break;
                default:
                    var directory = Path.GetFullPath(sp.GetRequiredService<IOptions<ScreeningOptions>>().Value.DataDirectory);
                    Directory.CreateDirectory(directory);
                    config.UseSQLiteStorage(Path.Combine(directory, "jobs.db"), new SQLiteStorageOptions
                    {
                        QueuePollInterval = jobs.PollInterval,
                        InvisibilityTimeout = jobs.InvisibilityTimeout,
                        DistributedLockLifetime = TimeSpan.FromSeconds(30),
                    });
                    break;
            }
        });

        if (jobs.RunServer)
        {
            services.AddHangfireServer(o =>
            {
                o.WorkerCount = jobs.Workers;
                o.SchedulePollingInterval = jobs.PollInterval;
                o.ServerCheckInterval = TimeSpan.FromSeconds(30);
                o.ServerTimeout = TimeSpan.FromMinutes(2);
            });
        }
    }
}
