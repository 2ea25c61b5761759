using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Unitization.Host.Security.Audit;
using Unitization.StateStore;

namespace Unitization.Host.Security;

/// <summary>Authentication (API tokens, JWT, Kerberos) and authorization by role on every endpoint but <c>/healthz</c>.</summary>
internal static class SecurityServiceCollectionExtensions
{
    public static IServiceCollection AddSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(SecurityOptions.SectionName);
        services.AddOptions<SecurityOptions>()
            .Bind(section, o => o.ErrorOnUnknownConfiguration = true)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        var security = new SecurityOptions();
        section.Bind(security);
        if (security.Kerberos.Enabled && !string.IsNullOrWhiteSpace(security.Kerberos.Keytab))
        {
            // GSSAPI finds the acceptor's key through KRB5_KTNAME; a process serves one keytab
            Environment.SetEnvironmentVariable("KRB5_KTNAME", "FILE:" + Path.GetFullPath(security.Kerberos.Keytab));
        }

        foreach (var migration in SecuritySchema.All)
        {
            services.AddStateMigration(migration);
        }
        services.TryAddSingleton<ApiTokenRegistry>();
        services.TryAddSingleton<AuditLog>();
        services.AddHostedService<AuditWriter>();
        services.AddServiceCredentials();
        services.AddSingleton<IAuthorizationHandler, ApiAccessHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AuthorizationProblems>();
        var authentication = services.AddAuthentication(SecurityClaims.Scheme)
            .AddScheme<AuthenticationSchemeOptions, UnitizationAuthenticationHandler>(SecurityClaims.Scheme, _ => { });
        authentication.AddJwtBearer(UnitizationAuthenticationHandler.JwtScheme, _ => { });
        services.AddOptions<JwtBearerOptions>(UnitizationAuthenticationHandler.JwtScheme)
            .Configure<IOptions<SecurityOptions>, TimeProvider>((jwt, options, time) => Configure(jwt, options.Value.Jwt, time));
        services.AddAuthorization(o =>
        {
            // an endpoint with no policy of its own (none should have none: EndpointAccessTests) is admin-only
            o.FallbackPolicy = new AuthorizationPolicy([new ApiAccess(ApiRole.Admin)], [SecurityClaims.Scheme]);
        });
        return services;
    }

    /// <summary>Authentication, then the audit (it sees who called and what was answered, denials included), then authorization.</summary>
    public static void UseSecurity(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseMiddleware<AuditMiddleware>();
        app.UseAuthorization();
    }

    /// <summary>The group every endpoint is mapped in: each gets its role from <see cref="EndpointAccess"/>.</summary>
    public static IEndpointRouteBuilder SecuredEndpoints(this WebApplication app)
    {
        var open = app.Services.GetRequiredService<IOptions<SecurityOptions>>().Value.AllowAnonymousRead.ToList();
        var group = app.MapGroup(string.Empty);
        ((IEndpointConventionBuilder)group).Add(builder => EndpointAccess.Apply(builder, open));
        group.MapAudit();
        return group;
    }

    private static void Configure(JwtBearerOptions jwt, JwtOptions options, TimeProvider time)
    {
        jwt.MapInboundClaims = false;
        jwt.TimeProvider = time;
        jwt.RequireHttpsMetadata = options.MetadataAddress.StartsWith("https:", StringComparison.OrdinalIgnoreCase);
        if (!string.IsNullOrWhiteSpace(options.MetadataAddress))
        {
            jwt.MetadataAddress = options.MetadataAddress;
        }

        jwt.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = options.Issuer,
            ValidAudience = options.Audience,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            ClockSkew = options.ClockSkew,
            NameClaimType = options.NameClaim,
            RoleClaimType = options.RoleClaim,
            IssuerSigningKeys = options.SigningKeys.Select(SigningKey).ToList(),
        };
    }

    private static SecurityKey SigningKey(JwtSigningKey key)
    {
        if (!string.IsNullOrWhiteSpace(key.Symmetric))
        {
            return new SymmetricSecurityKey(Convert.FromBase64String(key.Symmetric)) { KeyId = NullIfEmpty(key.KeyId) };
        }

        var pem = key.PublicKeyPem;
        if (TryEc(pem) is { } ec)
        {
            return new ECDsaSecurityKey(ec) { KeyId = NullIfEmpty(key.KeyId) };
        }

        var rsa = System.Security.Cryptography.RSA.Create();
        rsa.ImportFromPem(pem);
        return new RsaSecurityKey(rsa) { KeyId = NullIfEmpty(key.KeyId) };
    }

    private static System.Security.Cryptography.ECDsa? TryEc(string pem)
    {
        var ec = System.Security.Cryptography.ECDsa.Create();
        try
        {
            ec.ImportFromPem(pem);
            return ec;
        }
        catch (ArgumentException)
        {
            ec.Dispose();
            return null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            ec.Dispose();
            return null;
        }
    }

    private static string? NullIfEmpty(string value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
