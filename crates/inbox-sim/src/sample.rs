//! Made-up but realistic demo data: Brazilian customers, their messages,
//! WhatsApp numbers and ids.

use rand::Rng;
use rand::seq::IndexedRandom;

/// Customer display names used when an inbound event does not name one.
pub const CUSTOMER_NAMES: &[&str] = &[
    "Ana Souza",
    "Bruno Lima",
    "Carla Ferreira",
    "Diego Santos",
    "Fernanda Oliveira",
    "Gabriel Costa",
    "Juliana Pereira",
    "Lucas Rodrigues",
    "Mariana Almeida",
    "Patrícia Gomes",
    "Rafael Carvalho",
    "Thiago Ribeiro",
];

/// Short customer messages used when an inbound text does not carry one.
pub const CUSTOMER_MESSAGES: &[&str] = &[
    "Olá, meu pedido ainda não chegou",
    "Bom dia! Qual o prazo de entrega para o meu CEP?",
    "Posso trocar o produto por outro tamanho?",
    "Vocês aceitam Pix?",
    "O código de rastreio não está funcionando",
    "Quero cancelar minha compra, por favor",
    "Recebi o produto com defeito, o que faço?",
    "Qual o horário de atendimento da loja?",
    "Consigo parcelar no cartão?",
    "Obrigada pelo atendimento!",
];

/// Group names used when a group event does not name its group.
pub const GROUP_NAMES: &[&str] = &["Clientes VIP", "Revendedores Sul", "Atacado Centro", "Suporte Loja Paulista"];

/// Brazilian area codes for generated mobile numbers.
const AREA_CODES: &[u8] = &[11, 21, 31, 41, 48, 51, 61, 71, 81, 85];

/// Number of distinct generated avatars / images served under `/media`.
pub const MEDIA_VARIANTS: u32 = 8;

pub fn customer_name() -> String {
    pick(CUSTOMER_NAMES).to_owned()
}

pub fn customer_message() -> String {
    pick(CUSTOMER_MESSAGES).to_owned()
}

pub fn group_name() -> String {
    pick(GROUP_NAMES).to_owned()
}

/// A Brazilian mobile number in WhatsApp form: `55` + area code + `9` + 8 digits.
pub fn phone_number() -> String {
    let mut rng = rand::rng();
    let area = AREA_CODES.choose(&mut rng).copied().unwrap_or(11);
    let line: u32 = rng.random_range(0..100_000_000);
    format!("55{area}9{line:08}")
}

/// A WhatsApp group id: creator's number, `-`, creation time in unix seconds
/// (like `6582986675-1502710128`).
pub fn group_id() -> String {
    let created: u32 = rand::rng().random_range(1_400_000_000..1_700_000_000);
    format!("{}-{created}", phone_number())
}

/// The 20 uppercase hex digits ending a WhatsApp Web message id. Real ids
/// from WhatsApp Web start with `3EB0`, so these do too.
pub fn message_suffix() -> String {
    let tail: u64 = rand::rng().random();
    format!("3EB0{tail:016X}")
}

/// Index of a generated avatar or image.
pub fn media_variant() -> u32 {
    rand::rng().random_range(0..MEDIA_VARIANTS)
}

fn pick(pool: &[&'static str]) -> &'static str {
    pool.choose(&mut rand::rng()).copied().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_suffix_is_20_uppercase_hex_digits() {
        let suffix = message_suffix();
        assert_eq!(suffix.len(), 20);
        assert!(suffix.chars().all(|c| c.is_ascii_digit() || ('A'..='F').contains(&c)));
    }

    #[test]
    fn phone_number_is_brazilian_mobile() {
        let number = phone_number();
        assert_eq!(number.len(), 13, "{number}");
        assert!(number.starts_with("55"));
        assert_eq!(&number[4..5], "9");
        assert!(number.chars().all(|c| c.is_ascii_digit()));
    }

    #[test]
    fn group_id_is_number_dash_timestamp() {
        let id = group_id();
        let (creator, created) = id.split_once('-').expect("dash in group id");
        assert!(creator.chars().all(|c| c.is_ascii_digit()));
        let created: u64 = created.parse().expect("timestamp");
        assert!(created >= 1_400_000_000);
    }
}
